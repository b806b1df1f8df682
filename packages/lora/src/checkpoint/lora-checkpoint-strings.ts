import { InvalidArgumentError } from '@lm-objectives/core';
import { CHECKSUM_METADATA_KEY } from '@lm-objectives/safetensors';
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
 * Refuses a safetensors file that is not a checkpoint of this format and version, or lacks its
 * checksum (`readSafetensors` verifies one that is present), before its values are read.
 */
function checkFileKind(functionName: string, strings: Readonly<Record<string, string>>): void {
  const refuse = (key: string, expected: string, fix: string) =>
    new InvalidArgumentError({
      functionName,
      argumentName: `bytes.__metadata__.${key}`,
      expected,
      received: strings[key],
      fix,
    });
  if (strings['format'] !== LORA_CHECKPOINT_FORMAT) {
    throw refuse(
      'format',
      `'${LORA_CHECKPOINT_FORMAT}' (a LoRA adapter checkpoint of this package)`,
      'for a PEFT adapter (adapter_model.safetensors) use readPeftAdapter and loadPeftAdapter; otherwise pass the bytes encodeLoraCheckpoint wrote.',
    );
  }
  if (strings['formatVersion'] !== String(LORA_CHECKPOINT_VERSION)) {
    throw refuse(
      'formatVersion',
      `version ${LORA_CHECKPOINT_VERSION} (the one this release reads)`,
      'load it with the release that wrote it, and save it again with this one.',
    );
  }
  if (strings[CHECKSUM_METADATA_KEY] === undefined) {
    throw refuse(
      CHECKSUM_METADATA_KEY,
      'the content checksum encodeLoraCheckpoint writes',
      'the file was rewritten without its checksum, so corruption could not be detected: save the adapters again with encodeLoraCheckpoint.',
    );
  }
}

/**
 * Reads the metadata back from `__metadata__` strings, after checking the format, its version
 * and the presence of the checksum. Only the representation is checked here
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
  checkFileKind(functionName, strings);
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
