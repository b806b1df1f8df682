import { InvalidArgumentError } from '@lm-objectives/core';
import {
  readSafetensors,
  type SafetensorsTensor,
  type SafetensorsTensorInput,
  writeSafetensors,
} from '@lm-objectives/safetensors';
import { checkLoraCheckpoint, checkLoraCheckpointMetadata } from './check-lora-checkpoint';
import {
  LORA_CHECKPOINT_FORMAT,
  LORA_CHECKPOINT_VERSION,
  type LoraCheckpoint,
  type LoraCheckpointMetadata,
  type LoraTargetWeights,
} from './lora-checkpoint';
import {
  LORA_TENSOR_SUFFIXES,
  loraMetadataFromStrings,
  loraMetadataToStrings,
} from './lora-checkpoint-strings';
import { refuseLegacyCheckpoint } from './refuse-legacy-checkpoint';

/**
 * One safetensors file for a {@link LoraCheckpoint}: per target `<name>.lora_A` (F32
 * `[in, r]`) and `<name>.lora_B` (F32 `[r, out]`), and in `__metadata__` the format and its
 * version, `rank`, `alpha`, `rsLora`, `scaling`, `dropout`, `initialization`, `layout`, the
 * `targets` with their base shapes (JSON), and `content_crc32`, the checksum
 * `decodeLoraCheckpoint` verifies. Python reads it with `safetensors.safe_open`.
 *
 * @example
 * await writeFile('adapters.safetensors', encodeLoraCheckpoint(saveLoraAdapters(lora)));
 */
export function encodeLoraCheckpoint(checkpoint: LoraCheckpoint): Uint8Array {
  const { metadata, weights } = checkLoraCheckpoint('encodeLoraCheckpoint', checkpoint);
  const tensors = new Map<string, SafetensorsTensorInput>();
  for (const { name, baseShape } of metadata.targets) {
    const { a, b } = weights.get(name)!;
    tensors.set(`${name}${LORA_TENSOR_SUFFIXES.a}`, {
      shape: [baseShape[0], metadata.rank],
      data: a,
    });
    tensors.set(`${name}${LORA_TENSOR_SUFFIXES.b}`, {
      shape: [metadata.rank, baseShape[1]],
      data: b,
    });
  }
  return writeSafetensors(tensors, loraMetadataToStrings(metadata), { checksum: true });
}

/**
 * Each target's $A$ and $B$ from the file's tensors: exactly `<target>.lora_A` (F32 `[in, r]`)
 * and `<target>.lora_B` (F32 `[r, out]`) per target, nothing else.
 */
function readTargetWeights(
  functionName: string,
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  metadata: LoraCheckpointMetadata,
): Map<string, LoraTargetWeights> {
  const problem = (key: string, expected: string, received: unknown) =>
    new InvalidArgumentError({
      functionName,
      argumentName: `bytes['${key}']`,
      expected,
      received,
      fix: 'the file holds tensors that do not belong to this checkpoint; write it again with encodeLoraCheckpoint.',
    });
  const weights = new Map<string, LoraTargetWeights>();
  const expectedKeys = new Set<string>();
  for (const { name, baseShape } of metadata.targets) {
    const parts = { a: [baseShape[0], metadata.rank], b: [metadata.rank, baseShape[1]] };
    const values: Partial<Record<'a' | 'b', Float32Array>> = {};
    for (const part of ['a', 'b'] as const) {
      const key = `${name}${LORA_TENSOR_SUFFIXES[part]}`;
      expectedKeys.add(key);
      const tensor = tensors.get(key);
      const [rows, columns] = parts[part];
      if (tensor?.dtype !== 'F32' || tensor.shape.join() !== `${rows},${columns}`) {
        const found = tensor ? `${tensor.dtype} [${tensor.shape.join(', ')}]` : 'no such tensor';
        throw problem(key, `an F32 tensor [${rows}, ${columns}]`, found);
      }
      values[part] = tensor.data as Float32Array;
    }
    weights.set(name, values as LoraTargetWeights);
  }
  const unexpected = [...tensors.keys()].find((key) => !expectedKeys.has(key));
  if (unexpected !== undefined) {
    throw problem(unexpected, 'no tensor besides the targets’ lora_A and lora_B', 'a tensor');
  }
  return weights;
}

/**
 * Reads bytes written by {@link encodeLoraCheckpoint}, verifying them before returning anything:
 * the declared format and version, the safetensors structure and the content checksum (a file of
 * another kind, a truncated file, a flipped or edited byte or a missing checksum is a
 * `SafetensorsError` naming the key at fault), then the metadata values and the tensors (each
 * problem an `InvalidArgumentError` naming the metadata key or tensor). Bytes of the
 * unreleased pre-safetensors format (starting `LORA`) are refused with the way to convert them.
 *
 * Non-finite weights are read as they are; `loadLoraAdapters` refuses them.
 */
export function decodeLoraCheckpoint(bytes: Uint8Array): LoraCheckpoint {
  const functionName = 'decodeLoraCheckpoint';
  refuseLegacyCheckpoint(functionName, bytes);
  const file = readSafetensors(bytes, {
    functionName,
    requireChecksum: true,
    expectedFormat: {
      format: LORA_CHECKPOINT_FORMAT,
      formatVersion: String(LORA_CHECKPOINT_VERSION),
      otherFormatFix:
        'for a PEFT adapter (adapter_model.safetensors) use readPeftAdapter and loadPeftAdapter; otherwise pass the bytes encodeLoraCheckpoint wrote.',
    },
  });
  const metadata = checkLoraCheckpointMetadata(
    functionName,
    loraMetadataFromStrings(functionName, file.metadata),
    'bytes.__metadata__',
  );
  const weights = readTargetWeights(functionName, file.tensors, metadata);
  return checkLoraCheckpoint(functionName, { metadata, weights }, 'bytes');
}
