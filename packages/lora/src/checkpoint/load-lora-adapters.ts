import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import { formatShape } from '../internal/validate';
import { checkLoadableAdapters } from './check-loadable-adapters';
import {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  type LoraCheckpoint,
  type LoraCheckpointMetadata,
} from './lora-checkpoint';
import { checkLoraAdapterSet } from './save-lora-adapters';

const FUNCTION_NAME = 'loadLoraAdapters';

function fail(argumentName: string, expected: string, received: unknown, fix: string): never {
  throw new InvalidArgumentError({
    functionName: FUNCTION_NAME,
    argumentName,
    expected,
    received,
    fix,
  });
}

/** Checks the checkpoint's own consistency (format, version, offsets within the weights). */
export function checkLoraCheckpoint(functionName: string, checkpoint: unknown): LoraCheckpoint {
  const invalid = (argumentName: string, expected: string, received: unknown, fix: string) =>
    new InvalidArgumentError({ functionName, argumentName, expected, received, fix });
  const candidate = checkpoint as LoraCheckpoint;
  if (candidate == null || typeof candidate !== 'object' || candidate.metadata == null) {
    throw invalid(
      'checkpoint',
      'a LoraCheckpoint { metadata, weights }',
      checkpoint,
      'pass what saveLoraAdapters or decodeLoraCheckpoint returned.',
    );
  }
  const metadata = candidate.metadata as LoraCheckpointMetadata;
  if (
    metadata.format !== LORA_CHECKPOINT_FORMAT ||
    metadata.formatVersion !== LORA_CHECKPOINT_VERSION
  ) {
    throw invalid(
      'checkpoint.metadata.format',
      `format '${LORA_CHECKPOINT_FORMAT}' version ${LORA_CHECKPOINT_VERSION}`,
      `${String(metadata.format)} version ${String(metadata.formatVersion)}`,
      'load a checkpoint written by saveLoraAdapters of this package version.',
    );
  }
  if (!(candidate.weights instanceof Float32Array)) {
    throw invalid(
      'checkpoint.weights',
      'a Float32Array of adapter values',
      candidate.weights,
      'pass the checkpoint unchanged.',
    );
  }
  const rank = metadata.rank;
  if (!Number.isInteger(rank) || rank < 1 || !Array.isArray(metadata.targets)) {
    throw invalid(
      'checkpoint.metadata',
      'a positive integer rank and a list of targets',
      metadata,
      'pass the checkpoint unchanged.',
    );
  }
  for (const [index, target] of metadata.targets.entries()) {
    const [inputs, outputs] = target.baseShape ?? [];
    const fits =
      typeof target.name === 'string' &&
      Number.isInteger(inputs) &&
      Number.isInteger(outputs) &&
      Number.isInteger(target.aOffset) &&
      Number.isInteger(target.bOffset) &&
      target.aOffset >= 0 &&
      target.aOffset + inputs! * rank <= candidate.weights.length &&
      target.bOffset >= 0 &&
      target.bOffset + rank * outputs! <= candidate.weights.length;
    if (!fits) {
      throw invalid(
        `checkpoint.metadata.targets[${index}]`,
        `a target whose A [in, ${rank}] and B [${rank}, out] lie inside the ${candidate.weights.length} weights`,
        target,
        'the checkpoint is truncated or corrupt; save it again.',
      );
    }
  }
  return candidate;
}

/**
 * Loads adapter weights saved by `saveLoraAdapters` into existing adapters, after checking that
 * they fit: the same target names, the same base kernel shapes, the same rank, $\alpha$ and
 * rsLoRA (so the scaling is the one they were trained with). Refuses, changing nothing, when
 * anything differs, or when the adapters are merged.
 *
 * @param adapters the adapters to load into: create them on the base model with the checkpoint's
 *   settings, e.g. `createLoraAdapters(linears, loraOptionsFromCheckpoint(checkpoint))`.
 */
export function loadLoraAdapters(adapters: LoraAdapterSet, checkpoint: LoraCheckpoint): void {
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
  const saved = metadata.targets.map((target) => target.name);
  const present = [...set.adapters.keys()];
  const missing = saved.filter((name) => !set.adapters.has(name));
  const extra = present.filter((name) => !saved.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    fail(
      'checkpoint.metadata.targets',
      `adapters for exactly ${present.map((name) => `'${name}'`).join(', ')}`,
      `adapters for ${saved.map((name) => `'${name}'`).join(', ')}`,
      `${missing.length > 0 ? `adapt ${missing.map((name) => `'${name}'`).join(', ')} too` : ''}${missing.length > 0 && extra.length > 0 ? ' and ' : ''}${extra.length > 0 ? `do not adapt ${extra.map((name) => `'${name}'`).join(', ')}` : ''} (targets: ${JSON.stringify(saved)}).`,
    );
  }
  for (const target of metadata.targets) {
    const adapter = set.adapters.get(target.name)!;
    const shape = [adapter.inputSize, adapter.outputSize];
    if (shape[0] !== target.baseShape[0] || shape[1] !== target.baseShape[1]) {
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
  const rank = metadata.rank;
  tf.tidy(() => {
    for (const target of metadata.targets) {
      const adapter = set.adapters.get(target.name)!;
      const [inputs, outputs] = target.baseShape;
      adapter.a.assign(
        tf.tensor2d(weights.subarray(target.aOffset, target.aOffset + inputs * rank), [
          inputs,
          rank,
        ]),
      );
      adapter.b.assign(
        tf.tensor2d(weights.subarray(target.bOffset, target.bOffset + rank * outputs), [
          rank,
          outputs,
        ]),
      );
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
