import { InvalidArgumentError } from '@lm-objectives/core';
import { loraScaling } from '../adapter/lora-scaling';
import {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  LORA_LAYOUT,
  type LoraCheckpoint,
  type LoraCheckpointMetadata,
  type LoraCheckpointTarget,
} from './lora-checkpoint';

type Problem = (argumentName: string, expected: string, received: unknown, fix: string) => never;

/** A thrower of `InvalidArgumentError`s for `functionName`. */
function problemsOf(functionName: string): Problem {
  return (argumentName, expected, received, fix) => {
    throw new InvalidArgumentError({ functionName, argumentName, expected, received, fix });
  };
}

const UNCHANGED =
  'pass the checkpoint unchanged (what saveLoraAdapters or decodeLoraCheckpoint returned).';

/** Checks the settings: format and version, rank, α, rsLoRA (and the scaling they give), dropout, initialisation, layout. */
function checkSettings(metadata: LoraCheckpointMetadata, at: string, problem: Problem): void {
  if (
    metadata.format !== LORA_CHECKPOINT_FORMAT ||
    metadata.formatVersion !== LORA_CHECKPOINT_VERSION
  ) {
    problem(
      `${at}.format`,
      `format '${LORA_CHECKPOINT_FORMAT}' version ${LORA_CHECKPOINT_VERSION}`,
      `${String(metadata.format)} version ${String(metadata.formatVersion)}`,
      'load a checkpoint written by saveLoraAdapters of this package version.',
    );
  }
  const { rank, alpha, rsLora, dropout } = metadata;
  const settingsValid =
    Number.isInteger(rank) &&
    rank >= 1 &&
    Number.isFinite(alpha) &&
    alpha > 0 &&
    typeof rsLora === 'boolean' &&
    Number.isFinite(dropout) &&
    dropout >= 0 &&
    dropout < 1 &&
    (metadata.initialization === 'uniform' || metadata.initialization === 'gaussian') &&
    metadata.layout === LORA_LAYOUT;
  if (!settingsValid) {
    problem(
      at,
      `a rank ≥ 1, α > 0, rsLora true or false, dropout in [0, 1), initialization 'uniform' or 'gaussian' and layout '${LORA_LAYOUT}'`,
      metadata,
      UNCHANGED,
    );
  }
  if (metadata.scaling !== loraScaling(alpha, rank, rsLora)) {
    problem(
      `${at}.scaling`,
      `the scaling ${loraScaling(alpha, rank, rsLora)} that α ${alpha}, rank ${rank} and rsLora ${rsLora} give`,
      metadata.scaling,
      UNCHANGED,
    );
  }
}

/** Checks one target: a unique name and a base shape of positive integers the rank fits. */
function checkTarget(
  target: LoraCheckpointTarget,
  at: string,
  rank: number,
  seen: Set<string>,
  problem: Problem,
): void {
  const shape: readonly unknown[] = Array.isArray(target?.baseShape) ? target.baseShape : [];
  const [inputs, outputs] = shape as number[];
  const valid =
    typeof target?.name === 'string' &&
    target.name !== '' &&
    !seen.has(target.name) &&
    shape.length === 2 &&
    Number.isInteger(inputs) &&
    Number.isInteger(outputs) &&
    inputs! >= rank &&
    outputs! >= rank;
  if (!valid) {
    problem(
      at,
      `a target { name, baseShape: [in, out] } with a new name and in, out ≥ the rank ${rank}`,
      target,
      UNCHANGED,
    );
  }
  seen.add(target.name);
}

/** Checks that `weights` holds exactly the targets' $A$ `[in, r]` and $B$ `[r, out]` as Float32Arrays. */
function checkWeights(checkpoint: LoraCheckpoint, argumentName: string, problem: Problem): void {
  const { metadata, weights } = checkpoint;
  if (!(weights instanceof Map) || weights.size !== metadata.targets.length) {
    problem(
      `${argumentName}.weights`,
      `a Map of the ${metadata.targets.length} targets' { a, b }`,
      weights,
      UNCHANGED,
    );
  }
  for (const { name, baseShape } of metadata.targets) {
    const entry = weights.get(name);
    for (const [part, length] of [
      ['a', baseShape[0] * metadata.rank],
      ['b', metadata.rank * baseShape[1]],
    ] as const) {
      const values = entry?.[part];
      if (!(values instanceof Float32Array) || values.length !== length) {
        problem(
          `${argumentName}.weights['${name}'].${part}`,
          `a Float32Array of ${length} values (${part === 'a' ? 'A [in, r]' : 'B [r, out]'} of '${name}')`,
          values,
          UNCHANGED,
        );
      }
    }
  }
}

/**
 * Checks a checkpoint's metadata: format and version, the settings (and the scaling they give),
 * and unique targets with base shapes the rank fits. Every problem is an `InvalidArgumentError`
 * naming the field under `at` (e.g. `'checkpoint.metadata'`).
 */
export function checkLoraCheckpointMetadata(
  functionName: string,
  metadata: unknown,
  at: string,
): LoraCheckpointMetadata {
  const problem = problemsOf(functionName);
  const candidate = metadata as LoraCheckpointMetadata;
  if (candidate == null || typeof candidate !== 'object' || !Array.isArray(candidate.targets)) {
    problem(at, 'checkpoint metadata with a list of targets', metadata, UNCHANGED);
  }
  checkSettings(candidate, at, problem);
  const seen = new Set<string>();
  candidate.targets.forEach((target, index) => {
    checkTarget(target, `${at}.targets[${index}]`, candidate.rank, seen, problem);
  });
  return candidate;
}

/**
 * Checks a checkpoint's own consistency before anything uses it: its metadata (see
 * {@link checkLoraCheckpointMetadata}) and exactly the targets' $A$ and $B$ in `weights`.
 *
 * @param argumentName how the checkpoint is named in messages, e.g. `'checkpoint'`.
 */
export function checkLoraCheckpoint(
  functionName: string,
  checkpoint: unknown,
  argumentName = 'checkpoint',
): LoraCheckpoint {
  const candidate = checkpoint as LoraCheckpoint;
  if (candidate == null || typeof candidate !== 'object' || candidate.metadata == null) {
    problemsOf(functionName)(
      argumentName,
      'a LoraCheckpoint { metadata, weights }',
      checkpoint,
      UNCHANGED,
    );
  }
  checkLoraCheckpointMetadata(functionName, candidate.metadata, `${argumentName}.metadata`);
  checkWeights(candidate, argumentName, problemsOf(functionName));
  return candidate;
}
