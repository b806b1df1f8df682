import { InvalidArgumentError } from '@lm-objectives/core';
import {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  type LoraCheckpointMetadata,
  type LoraCheckpointTarget,
} from './lora-checkpoint';

/** The tensor names of a target's $A$ and $B$ in the file: `<target>.lora_A`, `<target>.lora_B`. */
export const LORA_TENSOR_SUFFIXES = Object.freeze({ a: '.lora_A', b: '.lora_B' } as const);

/** The metadata as safetensors `__metadata__` strings: numbers and booleans as text, `targets` as JSON. */
export function loraMetadataToStrings(metadata: LoraCheckpointMetadata): Record<string, string> {
  return {
    format: metadata.format,
    formatVersion: String(metadata.formatVersion),
    rank: String(metadata.rank),
    alpha: String(metadata.alpha),
    rsLora: String(metadata.rsLora),
    scaling: String(metadata.scaling),
    dropout: String(metadata.dropout),
    initialization: metadata.initialization,
    layout: metadata.layout,
    targets: JSON.stringify(
      metadata.targets.map(({ name, baseShape }) => ({ name, baseShape: [...baseShape] })),
    ),
  };
}

/** A number written by `String(number)`: the text must read back to a finite number. */
function readNumber(text: string | undefined): number {
  const value = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** The targets' JSON, or `undefined` when it is not JSON. */
function readTargets(text: string | undefined): LoraCheckpointTarget[] | undefined {
  try {
    const value = JSON.parse(text ?? '');
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the metadata back from `__metadata__` strings (the reader has checked the format, its
 * version and the checksum). Only the representation is checked here
 * (a number that is a number, a boolean that is `true` or `false`, targets that are JSON); the
 * values are then checked with the in-memory checkpoint (`checkLoraCheckpoint`).
 */
export function loraMetadataFromStrings(
  functionName: string,
  strings: Readonly<Record<string, string>>,
): LoraCheckpointMetadata {
  const problem = (key: string, expected: string) =>
    new InvalidArgumentError({
      functionName,
      argumentName: `bytes.__metadata__.${key}`,
      expected,
      received: strings[key],
      fix: 'the file is not an adapter checkpoint of this package, or was edited; write it again with encodeLoraCheckpoint.',
    });
  const numbers: Record<string, number> = {};
  for (const key of ['rank', 'alpha', 'scaling', 'dropout']) {
    numbers[key] = readNumber(strings[key]);
    if (Number.isNaN(numbers[key])) throw problem(key, 'a number');
  }
  if (strings['rsLora'] !== 'true' && strings['rsLora'] !== 'false') {
    throw problem('rsLora', "'true' or 'false'");
  }
  const targets = readTargets(strings['targets']);
  if (targets === undefined) throw problem('targets', 'a JSON array of { name, baseShape }');
  return {
    format: LORA_CHECKPOINT_FORMAT,
    formatVersion: LORA_CHECKPOINT_VERSION,
    rank: numbers['rank']!,
    alpha: numbers['alpha']!,
    rsLora: strings['rsLora'] === 'true',
    scaling: numbers['scaling']!,
    dropout: numbers['dropout']!,
    initialization: strings['initialization'] as LoraCheckpointMetadata['initialization'],
    layout: strings['layout'] as LoraCheckpointMetadata['layout'],
    targets,
  };
}
