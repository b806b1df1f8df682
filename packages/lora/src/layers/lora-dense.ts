import {
  checkBoolean,
  checkPositiveInteger,
  checkTensor,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkRankFitsKernel } from '../adapter/check-rank-fits-kernel';
import { createLoraAdapter } from '../adapter/create-lora-adapter';
import type { LoraAdapter } from '../adapter/lora-adapter';
import { type LoraInitialization, resolveLoraOptions } from '../adapter/lora-options';

type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;
type Initializer = ReturnType<typeof tfl.initializers.zeros>;
type ActivationName = Parameters<typeof tfl.layers.activation>[0]['activation'];

/** A serialised initializer as found in a `Dense` config, or an identifier such as `'glorotNormal'`. */
export type InitializerSetting = string | { className: string; config: Record<string, unknown> };

/** The arguments of {@link LoraDense}: `Dense`'s, plus the LoRA settings. */
export interface LoraDenseArgs extends LayerArgs {
  /** Output size. */
  units: number;
  /** Activation identifier, as for `tf.layers.dense`. Default `'linear'`. */
  activation?: ActivationName;
  /** Whether the base layer has a bias. Default `true`. */
  useBias?: boolean;
  /** Input size, when this is the first layer. */
  inputDim?: number;
  /** The base kernel's initializer, used only when no base weights are loaded. Default `'glorotNormal'` (as `Dense`). */
  kernelInitializer?: InitializerSetting;
  /** The base bias's initializer. Default `'zeros'`. */
  biasInitializer?: InitializerSetting;
  /** Rank $r$. Default 8. */
  rank?: number;
  /** $\alpha$. Default 8. */
  alpha?: number;
  /** $\alpha/\sqrt r$ scaling. Default `false`. */
  rsLora?: boolean;
  /** Adapter-input dropout rate during training. Default 0. */
  dropout?: number;
  /** How $A$ is initialised. Default `'uniform'`. */
  initialization?: LoraInitialization;
  /** Seed of core's `createRng` for $A$'s initialisation and the dropout masks. Default 0. */
  seed?: number;
  /** The kernel already holds the merged update (set when a merged model was saved). Default `false`. */
  merged?: boolean;
}

/** Dense-config keys a frozen base layer may carry but does not use (nothing updates frozen weights). */
const IGNORED_DENSE_KEYS = [
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
] as const;

function toInitializer(setting: InitializerSetting | undefined, fallback: string): Initializer {
  const value = setting ?? fallback;
  if (typeof value === 'string') {
    const factory = (
      tfl.initializers as unknown as Record<string, (config?: object) => Initializer>
    )[value.charAt(0).toLowerCase() + value.slice(1)];
    if (typeof factory === 'function') return factory({});
  } else {
    const entry = tf.serialization.SerializationMap.getMap().classNameMap[value.className];
    if (entry) {
      const [cls, fromConfig] = entry;
      return fromConfig(cls, value.config as tf.serialization.ConfigDict) as unknown as Initializer;
    }
  }
  throw new InvalidArgumentError({
    functionName: 'LoraDense',
    argumentName: 'args.kernelInitializer',
    expected: "an initializer identifier such as 'glorotNormal' or a serialised initializer",
    received: value,
    fix: 'use one of the tf.initializers names, or register the custom initializer class.',
  });
}

/**
 * A `tf.layers` dense layer with a LoRA adapter: $y = \mathrm{act}(xW + b + s\,(\mathrm{dropout}(x)A)B)$.
 * The kernel and bias are non-trainable weights; `lora_A` `[in, r]` and `lora_B` `[r, out]` are the
 * trainable ones, so `model.fit` and `optimizer.minimize` train only them. Serialisable
 * (`className: 'LoraDense'`, registered when `@lm-objectives/lora/layers` is imported), merge state
 * included. Products use core's wasm-fast `linear`.
 */
export class LoraDense extends tfl.layers.Layer {
  /** @nocollapse */
  static className = 'LoraDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  readonly dropout: number;
  readonly initialization: LoraInitialization;
  readonly seed: number;
  private readonly activationName: ActivationName;
  private readonly activationLayer: tfl.layers.Layer | null;
  private readonly kernelInitializerSetting: InitializerSetting;
  private readonly biasInitializerSetting: InitializerSetting;
  private readonly mergedAtBuild: boolean;
  private kernelWeight: tfl.LayerVariable | null = null;
  private biasWeight: tfl.LayerVariable | null = null;
  private adapterState: LoraAdapter | null = null;

  constructor(args: LoraDenseArgs) {
    const layerArgs: LoraDenseArgs = { ...args };
    if (args.batchInputShape == null && args.inputShape == null && args.inputDim != null) {
      layerArgs.batchInputShape = [args.batchSize ?? null, args.inputDim];
    }
    for (const key of [
      'units',
      'activation',
      'useBias',
      'inputDim',
      'kernelInitializer',
      'biasInitializer',
      'rank',
      'alpha',
      'rsLora',
      'dropout',
      'initialization',
      'seed',
      'merged',
      'activityRegularizer',
      ...IGNORED_DENSE_KEYS,
    ] as const) {
      delete (layerArgs as unknown as Record<string, unknown>)[key];
    }
    super(layerArgs);
    const functionName = 'LoraDense';
    checkPositiveInteger(
      { functionName, argumentName: 'args.units' },
      args.units,
      'pass the output size, a positive integer.',
    );
    if ((args as { activityRegularizer?: unknown }).activityRegularizer != null) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'args.activityRegularizer',
        expected: 'no activity regularizer',
        received: (args as { activityRegularizer?: unknown }).activityRegularizer,
        fix: 'remove the activity regularizer from the Dense layer before adapting it.',
      });
    }
    const { resolved } = resolveLoraOptions(functionName, {
      rank: args.rank,
      alpha: args.alpha,
      rsLora: args.rsLora,
      dropout: args.dropout,
      initialization: args.initialization,
      seed: args.seed,
    });
    this.units = args.units;
    this.useBias = checkBoolean({ functionName, argumentName: 'args.useBias' }, args.useBias, true);
    this.rank = resolved.rank;
    this.alpha = resolved.alpha;
    this.rsLora = resolved.rsLora;
    this.dropout = resolved.dropout;
    this.initialization = resolved.initialization;
    this.seed = args.seed ?? 0;
    this.mergedAtBuild = checkBoolean(
      { functionName, argumentName: 'args.merged' },
      args.merged,
      false,
    );
    this.activationName = args.activation ?? 'linear';
    this.activationLayer =
      this.activationName === 'linear'
        ? null
        : tfl.layers.activation({ activation: this.activationName });
    this.kernelInitializerSetting = args.kernelInitializer ?? 'glorotNormal';
    this.biasInitializerSetting = args.biasInitializer ?? 'zeros';
    this.supportsMasking = true;
  }

  /** The LoRA settings, as the adapter takes them and the config stores them. */
  private loraSettings() {
    const { rank, alpha, rsLora, dropout, initialization, seed } = this;
    return { rank, alpha, rsLora, dropout, initialization, seed };
  }

  /** The adapter (available once the layer is built). */
  get adapter(): LoraAdapter {
    if (!this.adapterState) {
      throw new InvalidArgumentError({
        functionName: 'LoraDense.adapter',
        argumentName: 'layer',
        expected: 'a built layer',
        received: this.name,
        receivedDescription: `layer '${this.name}', not built yet`,
        fix: 'add the layer to a model with a known input shape, or call it once, first.',
      });
    }
    return this.adapterState;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const inputSize = shape[shape.length - 1];
    if (inputSize == null) {
      throw new ShapeMismatchError({
        functionName: 'LoraDense.build',
        argumentName: 'inputShape',
        expected: 'a known last axis (the input size)',
        received: inputShape,
        fix: 'give the model an input shape with a fixed last dimension.',
      });
    }
    checkRankFitsKernel('LoraDense.build', 'args.rank', this.rank, this.name, [
      inputSize,
      this.units,
    ]);
    const zeros = tfl.initializers.zeros();
    this.kernelWeight = this.addWeight(
      'kernel',
      [inputSize, this.units],
      'float32',
      toInitializer(this.kernelInitializerSetting, 'glorotNormal'),
      undefined,
      false,
    );
    if (this.useBias) {
      this.biasWeight = this.addWeight(
        'bias',
        [this.units],
        'float32',
        toInitializer(this.biasInitializerSetting, 'zeros'),
        undefined,
        false,
      );
    }
    const a = this.addWeight('lora_A', [inputSize, this.rank], 'float32', zeros, undefined, true);
    const b = this.addWeight('lora_B', [this.rank, this.units], 'float32', zeros, undefined, true);
    this.adapterState = createLoraAdapter({
      kernel: this.kernelWeight.read() as tf.Variable,
      bias: this.biasWeight ? (this.biasWeight.read() as tf.Variable) : undefined,
      name: this.name,
      ...this.loraSettings(),
      weights: { a: a.read() as tf.Variable, b: b.read() as tf.Variable },
      merged: this.mergedAtBuild,
    });
    this.inputSpec = [{ minNDim: 2, axes: { [-1]: inputSize } }];
    this.built = true;
  }

  /** Replaces the frozen base weights (the pretrained `Dense` kernel `[in, out]` and bias `[out]`). */
  setBaseWeights(kernel: tf.Tensor, bias?: tf.Tensor): void {
    const adapter = this.adapter;
    const functionName = 'LoraDense.setBaseWeights';
    if (adapter.merged) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'layer',
        expected: 'an unmerged layer',
        received: this.name,
        receivedDescription: `layer '${this.name}', merged`,
        fix: 'unmerge the adapter first.',
      });
    }
    checkTensor({ functionName, argumentName: 'kernel' }, kernel, {
      dtypes: ['float32'],
      shape: [adapter.inputSize, adapter.outputSize],
    });
    if (this.biasWeight) {
      checkTensor({ functionName, argumentName: 'bias' }, bias, {
        dtypes: ['float32'],
        shape: [adapter.outputSize],
      });
    }
    this.kernelWeight!.write(kernel);
    if (this.biasWeight) this.biasWeight.write(bias!);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const input = Array.isArray(inputs) ? inputs[0]! : inputs;
      const output = this.adapter.apply(input, { training: kwargs['training'] === true });
      return this.activationLayer ? (this.activationLayer.apply(output) as tf.Tensor) : output;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializerSetting,
      biasInitializer: this.biasInitializerSetting,
      ...this.loraSettings(),
      merged: this.adapterState?.merged ?? this.mergedAtBuild,
      ...super.getConfig(),
    } as tf.serialization.ConfigDict;
  }
}

tf.serialization.registerClass(LoraDense);

/** Creates a {@link LoraDense} layer, in the style of `tf.layers.dense`. */
export function loraDense(args: LoraDenseArgs): LoraDense {
  return new LoraDense(args);
}
