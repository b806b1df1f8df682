import {
  checkBoolean,
  checkOptionKeys,
  formatShape,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import { checkFiniteValues } from '../internal/check-finite-values';
import { checkLoadableAdapters, checkSameTargets } from './check-loadable-adapters';
import { checkLoraCheckpoint } from './check-lora-checkpoint';
import type { LoraCheckpoint, LoraCheckpointMetadata } from './lora-checkpoint';
import { checkLoraAdapterSet } from './save-lora-adapters';

const FUNCTION_NAME = 'loadLoraAdapters';

/** Options of {@link loadLoraAdapters}. */
export interface LoadLoraAdaptersOptions {
  /** Load weights with NaN or ±∞ (to inspect a diverged run) instead of refusing them. Default `false`. */
  allowNonFinite?: boolean;
}

/** Refuses a target whose base kernel shape differs from the adapter's. */
function checkBaseShapes(set: LoraAdapterSet, metadata: LoraCheckpointMetadata): void {
  for (const target of metadata.targets) {
    const adapter = set.adapters.get(target.name)!;
    const shape = [adapter.inputSize, adapter.outputSize];
    if (shape[0] === target.baseShape[0] && shape[1] === target.baseShape[1]) continue;
    throw new ShapeMismatchError({
      functionName: FUNCTION_NAME,
      argumentName: `checkpoint.metadata.targets['${target.name}'].baseShape`,
      expected: `base kernel shape ${formatShape(shape)} (the model's '${target.name}')`,
      received: target.baseShape,
      receivedDescription: `adapters trained on a kernel of shape ${formatShape(target.baseShape)}`,
      fix: 'load the adapters onto the base model they were trained on (same architecture and sizes).',
    });
  }
}

/**
 * Loads adapter weights saved by `saveLoraAdapters` into existing adapters, all or nothing: first
 * it checks that they fit — the same target names, the same base kernel shapes, the same rank,
 * $\alpha$ and rsLoRA (so the scaling is the one they were trained with), unmerged adapters,
 * finite values (unless `allowNonFinite`) — and only then writes every $A$ and $B$. A refused
 * load changes nothing.
 *
 * @param adapters the adapters to load into: create them on the base model with the checkpoint's
 *   settings, e.g. `createLoraAdapters(linears, loraOptionsFromCheckpoint(checkpoint))`.
 * @example
 * loadLoraAdapters(lora, decodeLoraCheckpoint(await readFile('adapters.safetensors')));
 */
export function loadLoraAdapters(
  adapters: LoraAdapterSet,
  checkpoint: LoraCheckpoint,
  options: LoadLoraAdaptersOptions = {},
): void {
  checkOptionKeys(FUNCTION_NAME, options, ['allowNonFinite']);
  const allowNonFinite = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.allowNonFinite' },
    options.allowNonFinite,
    false,
  );
  const set = checkLoraAdapterSet(FUNCTION_NAME, adapters);
  const { metadata, weights } = checkLoraCheckpoint(FUNCTION_NAME, checkpoint);
  checkLoadableAdapters(FUNCTION_NAME, set, {
    ...metadata,
    rankArgument: 'checkpoint.metadata.rank',
    settingsArgument: 'checkpoint.metadata',
    alphaName: 'alpha',
    rsLoraName: 'rsLora',
    source: "the checkpoint's",
  });
  checkSameTargets(
    FUNCTION_NAME,
    set,
    metadata.targets.map((target) => target.name),
  );
  checkBaseShapes(set, metadata);
  if (!allowNonFinite) {
    for (const [name, { a, b }] of weights) {
      checkFiniteValues(FUNCTION_NAME, `checkpoint.weights['${name}'].a`, a);
      checkFiniteValues(FUNCTION_NAME, `checkpoint.weights['${name}'].b`, b);
    }
  }
  tf.tidy(() => {
    for (const [name, { a, b }] of weights) {
      const adapter = set.adapters.get(name)!;
      adapter.a.assign(tf.tensor2d(a, [adapter.inputSize, adapter.rank]));
      adapter.b.assign(tf.tensor2d(b, [adapter.rank, adapter.outputSize]));
    }
  });
}

/**
 * The options to create adapters that a checkpoint fits: its rank, $\alpha$, rsLoRA, dropout,
 * initialisation, and its target names.
 *
 * @example
 * const lora = createLoraAdapters(linears, loraOptionsFromCheckpoint(checkpoint));
 * loadLoraAdapters(lora, checkpoint);
 */
export function loraOptionsFromCheckpoint(checkpoint: LoraCheckpoint): {
  rank: number;
  alpha: number;
  rsLora: boolean;
  dropout: number;
  initialization: LoraCheckpointMetadata['initialization'];
  targets: string[];
} {
  const { metadata } = checkLoraCheckpoint('loraOptionsFromCheckpoint', checkpoint);
  return {
    rank: metadata.rank,
    alpha: metadata.alpha,
    rsLora: metadata.rsLora,
    dropout: metadata.dropout,
    initialization: metadata.initialization,
    targets: metadata.targets.map((target) => target.name),
  };
}
