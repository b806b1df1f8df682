import { InvalidArgumentError } from '@lm-objectives/core';
import { readSafetensors, writeSafetensors } from '@lm-objectives/safetensors';
import { checkPrefixCheckpoint } from './check-prefix-checkpoint';
import {
  PREFIX_CHECKPOINT_FORMAT,
  PREFIX_CHECKPOINT_VERSION,
  PREFIX_LAYOUT,
  type PrefixCheckpoint,
  type PrefixCheckpointMetadata,
} from './prefix-checkpoint';

/** The name of the one tensor of a prefix checkpoint file. */
const TENSOR_NAME = 'key_values';
const SIZE_NAMES = [
  'numVirtualTokens',
  'numLayers',
  'numHeads',
  'numKeyValueHeads',
  'headSize',
] as const;

/**
 * One safetensors file for a {@link PrefixCheckpoint}: the tensor `key_values`, F32
 * `[numLayers, 2, numKeyValueHeads, numVirtualTokens, headSize]`, and in `__metadata__` the format
 * and its version, the five sizes, the layout, `trainedWithProjection`, and `content_crc32`, the
 * checksum `decodePrefixCheckpoint` verifies. Python reads it with `safetensors.safe_open`.
 *
 * @example
 * await writeFile('prefix.safetensors', encodePrefixCheckpoint(exportPrefix(prefix)));
 */
export function encodePrefixCheckpoint(checkpoint: PrefixCheckpoint): Uint8Array {
  const { metadata, keyValues } = checkPrefixCheckpoint(
    'encodePrefixCheckpoint',
    'checkpoint',
    checkpoint,
  );
  const { numLayers, numKeyValueHeads, numVirtualTokens, headSize } = metadata;
  const strings: Record<string, string> = {
    format: metadata.format,
    formatVersion: String(metadata.formatVersion),
    layout: metadata.layout,
    trainedWithProjection: String(metadata.trainedWithProjection),
  };
  for (const name of SIZE_NAMES) strings[name] = String(metadata[name]);
  const shape = [numLayers, 2, numKeyValueHeads, numVirtualTokens, headSize];
  return writeSafetensors({ [TENSOR_NAME]: { shape, data: keyValues } }, strings, {
    checksum: true,
  });
}

/** Refuses the pre-release binary format (magic `LMPX`, no checksum), saying how to convert it. */
function refuseLegacyFormat(functionName: string, bytes: unknown): void {
  if (!(bytes instanceof Uint8Array) || bytes.length < 4) return;
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'LMPX') return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'bytes',
    expected: 'a safetensors prefix checkpoint (format version 2, with a content checksum)',
    received: bytes,
    receivedDescription:
      "bytes starting with 'LMPX': the pre-release prefix checkpoint format (version 1, no checksum), which is no longer read",
    fix: 'decode it with the lm-objectives build that wrote it and save it again with this version (encodePrefixCheckpoint(exportPrefix(loadPrefix(...)))); or export the prefix again from the encoder that trained it.',
  });
}

/**
 * The metadata back from `__metadata__` strings (the reader has checked the format, version and
 * checksum). A file without `numKeyValueHeads` (written before it was recorded) leaves it out, and
 * `checkPrefixCheckpoint` reads it as `numHeads`.
 */
function metadataFromStrings(strings: Readonly<Record<string, string>>): PrefixCheckpointMetadata {
  const sizes = Object.fromEntries(SIZE_NAMES.map((name) => [name, Number(strings[name] ?? '')]));
  return {
    format: PREFIX_CHECKPOINT_FORMAT,
    formatVersion: PREFIX_CHECKPOINT_VERSION,
    numVirtualTokens: sizes['numVirtualTokens']!,
    numLayers: sizes['numLayers']!,
    numHeads: sizes['numHeads']!,
    ...(strings['numKeyValueHeads'] === undefined
      ? {}
      : { numKeyValueHeads: sizes['numKeyValueHeads']! }),
    headSize: sizes['headSize']!,
    layout: strings['layout'] as typeof PREFIX_LAYOUT,
    trainedWithProjection: (strings['trainedWithProjection'] === 'true'
      ? true
      : strings['trainedWithProjection'] === 'false'
        ? false
        : strings['trainedWithProjection']) as boolean,
  } as PrefixCheckpointMetadata;
}

/**
 * Reads bytes written by {@link encodePrefixCheckpoint}, verifying them before returning anything:
 * the declared format and version, the safetensors structure and the content checksum (a file of
 * another kind, a truncated file, a flipped or edited byte or a missing checksum is a
 * `SafetensorsError` naming the key at fault), then the sizes and the tensor (each problem an
 * `InvalidArgumentError` naming the key). Bytes of the unreleased pre-safetensors
 * format (starting `LMPX`) are refused with the way to convert them. Non-finite values are read as
 * they are; `loadPrefix` refuses them.
 */
export function decodePrefixCheckpoint(bytes: Uint8Array): PrefixCheckpoint {
  const functionName = 'decodePrefixCheckpoint';
  refuseLegacyFormat(functionName, bytes);
  const file = readSafetensors(bytes, {
    functionName,
    requireChecksum: true,
    expectedFormat: {
      format: PREFIX_CHECKPOINT_FORMAT,
      formatVersion: String(PREFIX_CHECKPOINT_VERSION),
      otherFormatFix: 'pass the bytes encodePrefixCheckpoint wrote.',
    },
  });
  const metadata = metadataFromStrings(file.metadata);
  const tensor = file.tensors.get(TENSOR_NAME);
  if (tensor?.dtype !== 'F32' || file.tensors.size !== 1) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `bytes['${TENSOR_NAME}']`,
      expected: `one F32 tensor '${TENSOR_NAME}'`,
      received: [...file.tensors.keys()],
      fix: 'write the file again with encodePrefixCheckpoint.',
    });
  }
  const checkpoint = checkPrefixCheckpoint(functionName, 'bytes', {
    metadata,
    keyValues: tensor.data as Float32Array,
  });
  const { numLayers, numKeyValueHeads, numVirtualTokens, headSize } = checkpoint.metadata;
  const shape = [numLayers, 2, numKeyValueHeads, numVirtualTokens, headSize];
  if (tensor.shape.join() !== shape.join()) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `bytes['${TENSOR_NAME}']`,
      expected: `shape [${shape.join(', ')}] (${PREFIX_LAYOUT})`,
      received: tensor.shape,
      fix: 'write the file again with encodePrefixCheckpoint.',
    });
  }
  return checkpoint;
}
