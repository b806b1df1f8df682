import { checkBoolean, checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkRankFitsKernel } from '../adapter/check-rank-fits-kernel';
import type { LoraAdapter } from '../adapter/lora-adapter';
import { adapterSetMergeOperations, type LoraAdapterSet } from '../adapter/lora-adapter-set';
import { LORA_OPTION_KEYS, type LoraOptions, resolveLoraOptions } from '../adapter/lora-options';
import {
  type LoraParameterReport,
  loraParameterReportFrom,
} from '../adapter/lora-parameter-report';
import { isOutputHeadName, type LoraTargets, selectLoraTargets } from '../adapter/lora-targets';
import { LoraDense } from './lora-dense';

/** Options of {@link injectLoraAdapters}. */
export interface InjectLoraAdaptersOptions extends LoraOptions {
  /**
   * Which `Dense` layers to adapt, by layer name. Default: the attention query and value
   * projections by name (see `isDefaultLoraTarget`); when no layer name matches, an error lists
   * the model's `Dense` layers so that you can choose.
   */
  targets?: LoraTargets;
  /** Make every other layer non-trainable. Default `true`. */
  freezeOthers?: boolean;
}

/** What {@link injectLoraAdapters} returns. */
export interface InjectedLoraModel {
  /** A new model of the same architecture with `LoraDense` in place of the targeted `Dense` layers. Compile it before `fit`. */
  readonly model: tfl.LayersModel;
  /** The adapters (owned by `model`: `model.dispose()` frees them; `adapters.dispose()` does nothing). */
  readonly adapters: LoraAdapterSet;
  /** Trainable versus total parameters, adapter size versus model size. */
  readonly report: LoraParameterReport;
}

const FUNCTION_NAME = 'injectLoraAdapters';

/** The model's top-level `Dense` layers, in model order. */
export function denseLayersOf(model: tfl.LayersModel): tfl.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dense');
}

/**
 * The `Dense` layers `'all-linear'` leaves out: those whose output is a model output, and those
 * named like a head (see `isOutputHeadName`).
 */
export function outputHeadsOf(model: tfl.LayersModel): string[] {
  const outputs = new Set(model.outputs.map((output) => output.sourceLayer.name));
  return denseLayersOf(model)
    .map((layer) => layer.name)
    .filter((name) => outputs.has(name) || isOutputHeadName(name));
}

interface LayerEntry {
  className: string;
  config: Record<string, unknown> & { name?: string };
}

/** Throws unless `model` is a `tf.LayersModel`. */
export function checkLayersModel(
  functionName: string,
  model: unknown,
): asserts model is tfl.LayersModel {
  if (!isLayersModel(model)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'model',
      expected: 'a tf.LayersModel (sequential or functional)',
      received: model,
      fix: 'pass a model built with tf.sequential, tf.model or tf.loadLayersModel.',
    });
  }
}

function isLayersModel(value: unknown): value is tfl.LayersModel {
  return (
    value != null &&
    typeof value === 'object' &&
    Array.isArray((value as tfl.LayersModel).layers) &&
    typeof (value as tfl.LayersModel).getConfig === 'function' &&
    typeof (value as tfl.LayersModel).getClassName === 'function'
  );
}

/**
 * The {@link LoraAdapterSet} of a model's `LoraDense` layers: for a model made by
 * {@link injectLoraAdapters}, or one loaded with `tf.loadLayersModel` after being saved whole.
 */
export function loraAdaptersOf(model: tfl.LayersModel): LoraAdapterSet {
  if (!isLayersModel(model)) {
    throw new InvalidArgumentError({
      functionName: 'loraAdaptersOf',
      argumentName: 'model',
      expected: 'a tf.LayersModel',
      received: model,
      fix: 'pass a model built with tf.sequential, tf.model or tf.loadLayersModel.',
    });
  }
  const layers = model.layers.filter((layer): layer is LoraDense => layer instanceof LoraDense);
  if (layers.length === 0) {
    throw new InvalidArgumentError({
      functionName: 'loraAdaptersOf',
      argumentName: 'model',
      expected: 'a model with at least one LoraDense layer',
      received: model,
      receivedDescription: `a model whose layers are ${model.layers.map((layer) => `${layer.name} (${layer.getClassName()})`).join(', ')}`,
      fix: 'adapt it first with injectLoraAdapters(model, options).',
    });
  }
  const first = layers[0]!;
  for (const layer of layers) {
    if (layer.rank !== first.rank || layer.alpha !== first.alpha || layer.rsLora !== first.rsLora) {
      throw new InvalidArgumentError({
        functionName: 'loraAdaptersOf',
        argumentName: 'model',
        expected: 'LoraDense layers sharing one rank, α and rsLoRA',
        received: layer.name,
        receivedDescription: `layer '${layer.name}' with rank ${layer.rank}, alpha ${layer.alpha}, rsLora ${layer.rsLora} (first: ${first.rank}, ${first.alpha}, ${first.rsLora})`,
        fix: 'adapt every layer of one set with the same settings.',
      });
    }
  }
  const adapters = new Map<string, LoraAdapter>(layers.map((layer) => [layer.name, layer.adapter]));
  const merging = adapterSetMergeOperations(adapters);
  const adapterVariables = new Set<tf.Variable>(
    [...adapters.values()].flatMap((adapter) => adapter.trainableWeights()),
  );
  return {
    options: {
      rank: first.rank,
      alpha: first.alpha,
      rsLora: first.rsLora,
      dropout: first.dropout,
      initialization: first.initialization,
      scaling: first.adapter.scaling,
    },
    adapters,
    get merged() {
      return merging.merged;
    },
    trainableWeights: () => [...adapterVariables],
    merge: () => merging.merge(),
    safeMerge: () => merging.safeMerge(),
    unmerge: () => merging.unmerge(),
    parameterReport() {
      let baseParameters = 0;
      let otherTrainable = 0;
      for (const weight of model.weights) {
        const variable = weight.read() as tf.Variable;
        if (adapterVariables.has(variable)) continue;
        baseParameters += variable.size;
        if (weight.trainable && model.trainableWeights.includes(weight))
          otherTrainable += variable.size;
      }
      return loraParameterReportFrom([...adapters.values()], baseParameters, otherTrainable);
    },
    dispose() {},
  };
}

/**
 * Adds LoRA adapters to the `Dense` layers of an existing `LayersModel` (sequential or functional):
 * rebuilds the model from its config with {@link LoraDense} in place of the targeted layers,
 * copies every weight, gives each adapter its own seed drawn from core's random source, and
 * freezes everything else. At initialisation ($B = 0$) the new model computes exactly what the
 * original does. `model.fit` (after `compile`) and custom loops (`optimizer.minimize`, with or
 * without a variable list) then train only the adapters.
 *
 * The original model is left unchanged and still usable (the two share weight buffers by
 * reference count, so disposing either is safe). Only top-level layers are searched; `Dense`
 * layers inside nested models are not adapted. Custom layers of the model must be registered
 * (as for `tf.loadLayersModel`).
 *
 * @example
 * const { model: adapted, adapters, report } = injectLoraAdapters(model, { rank: 4, targets: /query|value/ });
 * adapted.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
 * await adapted.fit(xs, ys, { epochs: 5 });
 * console.log(report.trainableRatio, report.sizeRatio);
 */
export function injectLoraAdapters(
  model: tfl.LayersModel,
  options: InjectLoraAdaptersOptions = {},
): InjectedLoraModel {
  checkOptionKeys(FUNCTION_NAME, options, [...LORA_OPTION_KEYS, 'targets', 'freezeOthers']);
  checkLayersModel(FUNCTION_NAME, model);
  const { resolved, random } = resolveLoraOptions(FUNCTION_NAME, options);
  const freezeOthers = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.freezeOthers' },
    options.freezeOthers,
    true,
  );
  const denseNames = denseLayersOf(model).map((layer) => layer.name);
  const targetNames = selectLoraTargets(
    FUNCTION_NAME,
    denseNames,
    options.targets,
    'Dense layers',
    outputHeadsOf(model),
  );

  for (const layer of denseLayersOf(model)) {
    if (!targetNames.includes(layer.name)) continue;
    const shape = layer.weights[0]!.shape as [number, number];
    checkRankFitsKernel(FUNCTION_NAME, 'options.rank', resolved.rank, layer.name, shape);
  }
  const className = model.getClassName();
  const config = JSON.parse(JSON.stringify(model.getConfig())) as { layers: LayerEntry[] };
  for (const entry of config.layers) {
    const name = entry.config.name;
    if (entry.className !== 'Dense' || name === undefined || !targetNames.includes(name)) continue;
    entry.className = LoraDense.className;
    entry.config = {
      ...entry.config,
      rank: resolved.rank,
      alpha: resolved.alpha,
      rsLora: resolved.rsLora,
      dropout: resolved.dropout,
      initialization: resolved.initialization,
      seed: random.nextUint32(),
      merged: false,
    };
  }
  // fastWeightInit: every weight is overwritten below, so skip the random initialisers.
  const adapted = (
    className === 'Sequential'
      ? tfl.Sequential.fromConfig(tfl.Sequential, config as never, {}, true)
      : tfl.LayersModel.fromConfig(tfl.LayersModel, config as never, {}, true)
  ) as tfl.LayersModel;
  try {
    for (const layer of adapted.layers) {
      const original = model.getLayer(layer.name);
      if (layer instanceof LoraDense) {
        const [kernel, bias] = original.getWeights();
        // A already holds its seeded initial values and B its zeros (written at build time).
        layer.setBaseWeights(kernel!, bias);
      } else {
        layer.setWeights(original.getWeights());
        if (freezeOthers) layer.trainable = false;
      }
    }
  } catch (error) {
    adapted.dispose();
    throw error;
  }
  const adapters = loraAdaptersOf(adapted);
  return { model: adapted, adapters, report: adapters.parameterReport() };
}
