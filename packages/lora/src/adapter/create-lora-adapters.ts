import {
  checkBoolean,
  checkOptionKeys,
  InvalidArgumentError,
  isVariable,
  linear,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkRankFitsKernel } from './check-rank-fits-kernel';
import { createLoraAdapter } from './create-lora-adapter';
import type { LoraAdapter, LoraApplyOptions } from './lora-adapter';
import { adapterSetMergeOperations, type LoraAdapterSet } from './lora-adapter-set';
import { LORA_OPTION_KEYS, type LoraOptions, resolveLoraOptions } from './lora-options';
import { loraParameterReportFrom } from './lora-parameter-report';
import { checkOutputHeads, type LoraTargets, selectLoraTargets } from './lora-targets';

/** A linear layer of a hand-written model: $y = xW + b$ with `kernel` `[in, out]`. */
export interface LinearWeights {
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable;
}

/** Options of {@link createLoraAdapters}. */
export interface CreateLoraAdaptersOptions extends LoraOptions {
  /**
   * Which of the named linears to adapt. Default: the attention query and value projections by
   * name (see `isDefaultLoraTarget`); an error lists the names when none match.
   */
  targets?: LoraTargets;
  /**
   * Every variable of the model. They are frozen (`trainable = false`, restored by `dispose`) so
   * that `optimizer.minimize` without a variable list trains only the adapters, and counted for
   * the parameter report. Default: the variables of `linears` only.
   */
  modelVariables?: readonly tf.Variable[];
  /**
   * The output head's linears, which `targets: 'all-linear'` leaves out. Default: the names with a
   * token `head`, `lmhead`, `classifier` or `logits` (see `isOutputHeadName`).
   */
  outputHeads?: readonly string[];
}

/** Adapters for a hand-written model, with a drop-in replacement for its linear products. */
export interface LoraLinearSet extends LoraAdapterSet {
  /** Whether {@link LoraLinearSet.linear} applies adapter dropout by default. Default `false`. */
  training: boolean;
  /**
   * The output of the named linear for `x` `[..., in]`: through its adapter when it has one,
   * otherwise core's `linear` with the frozen base weights. Call it wherever the model multiplies
   * by that linear.
   */
  linear(name: string, x: tf.Tensor, options?: LoraApplyOptions): tf.Tensor;
}

const FUNCTION_NAME = 'createLoraAdapters';

/** Throws unless `modelVariables` is `undefined` (read as none) or an array of `tf.Variable`. */
export function checkModelVariables(
  functionName: string,
  modelVariables: unknown,
): readonly tf.Variable[] {
  if (modelVariables === undefined) return [];
  if (!Array.isArray(modelVariables) || !modelVariables.every(isVariable)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.modelVariables',
      expected: 'an array of tf.Variable',
      received: modelVariables,
      fix: 'pass every weight variable of the model, or leave it out.',
    });
  }
  return modelVariables;
}

/** Throws unless `linears` is an object of `{ kernel: tf.Variable, bias? }` by name; returns the names. */
export function checkNamedLinears(functionName: string, linears: unknown): string[] {
  if (linears == null || typeof linears !== 'object' || Array.isArray(linears)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'linears',
      expected: 'an object of named linears { name: { kernel, bias? } }',
      received: linears,
      fix: "pass the model's linears by name, e.g. { 'layer0/query': { kernel, bias } }.",
    });
  }
  const names = Object.keys(linears);
  for (const name of names) {
    const entry = (linears as Record<string, LinearWeights | undefined>)[name];
    if (entry == null || !isVariable(entry.kernel)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `linears['${name}'].kernel`,
        expected: 'a float32 tf.Variable [in, out]',
        received: entry?.kernel,
        fix: 'pass the weight variables themselves, so that they can be frozen and merged into.',
      });
    }
  }
  return names;
}

/**
 * Wraps the named linears of a hand-written model with LoRA adapters: adapts those `targets`
 * selects, freezes every model weight, and gives the model a `linear(name, x)` to call instead of
 * its own products. Each adapter draws from its own fork of the seeded random source. The rank
 * may not exceed $\min(\mathrm{in}, \mathrm{out})$ of any target (an error names the linear).
 *
 * @param linears every linear of the model by name, e.g. `{ 'layer0/query': { kernel, bias } }`.
 * @example
 * const lora = createLoraAdapters(model.linears, { rank: 4, alpha: 8, targets: /query|value/ });
 * lora.training = true;
 * const q = lora.linear('layer0/query', hidden);
 * optimizer.minimize(() => loss(), false, lora.trainableWeights());
 */
export function createLoraAdapters(
  linears: Readonly<Record<string, LinearWeights>>,
  options: CreateLoraAdaptersOptions = {},
): LoraLinearSet {
  checkOptionKeys(FUNCTION_NAME, options, [
    ...LORA_OPTION_KEYS,
    'targets',
    'modelVariables',
    'outputHeads',
  ]);
  const names = checkNamedLinears(FUNCTION_NAME, linears);
  const { resolved, random } = resolveLoraOptions(FUNCTION_NAME, options);
  const targetNames = selectLoraTargets(
    FUNCTION_NAME,
    names,
    options.targets,
    'linears',
    checkOutputHeads(FUNCTION_NAME, options.outputHeads, names),
  );
  for (const name of targetNames) {
    const shape = linears[name]!.kernel.shape;
    // Other kernel problems are createLoraAdapter's to report, below.
    if (shape.length === 2) {
      checkRankFitsKernel(
        FUNCTION_NAME,
        'options.rank',
        resolved.rank,
        name,
        shape as [number, number],
      );
    }
  }
  const frozen = new Set<tf.Variable>(checkModelVariables(FUNCTION_NAME, options.modelVariables));
  for (const name of names) {
    const { kernel, bias } = linears[name]!;
    frozen.add(kernel);
    if (bias) frozen.add(bias);
  }
  const previouslyTrainable = new Map(
    [...frozen].map((variable) => [variable, variable.trainable]),
  );

  const adapters = new Map<string, LoraAdapter>();
  try {
    for (const name of targetNames) {
      const { kernel, bias } = linears[name]!;
      adapters.set(
        name,
        createLoraAdapter({
          kernel,
          bias,
          name,
          rank: resolved.rank,
          alpha: resolved.alpha,
          rsLora: resolved.rsLora,
          dropout: resolved.dropout,
          initialization: resolved.initialization,
          random: random.fork(),
        }),
      );
    }
  } catch (error) {
    for (const adapter of adapters.values()) adapter.dispose();
    for (const [variable, trainable] of previouslyTrainable) variable.trainable = trainable;
    throw error;
  }
  for (const variable of frozen) variable.trainable = false;

  const merging = adapterSetMergeOperations(adapters);
  let training = false;
  const set: LoraLinearSet = {
    options: resolved,
    adapters,
    get merged() {
      return merging.merged;
    },
    get training() {
      return training;
    },
    set training(value: boolean) {
      training = checkBoolean(
        { functionName: 'LoraLinearSet.training', argumentName: 'value' },
        value,
        false,
      );
    },
    linear(name, x, applyOptions) {
      const adapter = adapters.get(name);
      if (adapter) return adapter.apply(x, { training, ...applyOptions });
      const base = Object.hasOwn(linears, name) ? linears[name] : undefined;
      if (!base) {
        throw new InvalidArgumentError({
          functionName: 'LoraLinearSet.linear',
          argumentName: 'name',
          expected: `one of the linears ${names.map((known) => `'${known}'`).join(', ')}`,
          received: name,
          fix: 'use the name under which the linear was passed to createLoraAdapters.',
        });
      }
      return linear(x, base.kernel, base.bias);
    },
    trainableWeights: () => [...adapters.values()].flatMap((adapter) => adapter.trainableWeights()),
    merge: () => merging.merge(),
    safeMerge: () => merging.safeMerge(),
    unmerge: () => merging.unmerge(),
    parameterReport() {
      const baseParameters = [...frozen].reduce((total, variable) => total + variable.size, 0);
      return loraParameterReportFrom([...adapters.values()], baseParameters, 0);
    },
    dispose() {
      for (const adapter of adapters.values()) adapter.dispose();
      for (const [variable, trainable] of previouslyTrainable) {
        if (!variable.isDisposed) variable.trainable = trainable;
      }
    },
  };
  return set;
}
