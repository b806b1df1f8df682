import { InvalidArgumentError } from '@lm-objectives/core';
import { checkPrefixCheckpoint } from './check-prefix-checkpoint';
import type { PrefixCheckpoint } from './prefix-checkpoint';

// Byte layout: the 4 ASCII bytes `LMPX`, the JSON header's byte length (uint32 little-endian), the
// UTF-8 JSON metadata padded with spaces to a multiple of 4 bytes (so the values are aligned), then
// the values as float32 little-endian.
const MAGIC = 'LMPX';
const PREAMBLE_BYTES = 8;

/** Serialises a {@link PrefixCheckpoint} to one byte array (`LMPX`, a JSON header, float32 LE values). */
export function encodePrefixCheckpoint(checkpoint: PrefixCheckpoint): Uint8Array {
  const { metadata, keyValues } = checkPrefixCheckpoint(
    'encodePrefixCheckpoint',
    'checkpoint',
    checkpoint,
  );
  let header = JSON.stringify(metadata);
  while ((PREAMBLE_BYTES + new TextEncoder().encode(header).length) % 4 !== 0) header += ' ';
  const headerBytes = new TextEncoder().encode(header);
  const bytes = new Uint8Array(PREAMBLE_BYTES + headerBytes.length + keyValues.length * 4);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < 4; index++) bytes[index] = MAGIC.charCodeAt(index);
  view.setUint32(4, headerBytes.length, true);
  bytes.set(headerBytes, PREAMBLE_BYTES);
  const offset = PREAMBLE_BYTES + headerBytes.length;
  for (let index = 0; index < keyValues.length; index++) {
    view.setFloat32(offset + 4 * index, keyValues[index]!, true);
  }
  return bytes;
}

/**
 * Reads bytes written by {@link encodePrefixCheckpoint}.
 * @throws {InvalidArgumentError} for bytes that are not a prefix checkpoint, or whose values do not
 *   match their metadata.
 */
export function decodePrefixCheckpoint(bytes: Uint8Array): PrefixCheckpoint {
  const functionName = 'decodePrefixCheckpoint';
  const refuse = (received: unknown, expected: string) =>
    new InvalidArgumentError({
      functionName,
      argumentName: 'bytes',
      expected,
      received,
      fix: 'pass the unmodified bytes of encodePrefixCheckpoint (e.g. read back from a file).',
    });
  if (!(bytes instanceof Uint8Array)) throw refuse(bytes, 'a Uint8Array');
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (bytes.length < PREAMBLE_BYTES || magic !== MAGIC) {
    throw refuse(bytes, `bytes that start with '${MAGIC}' (a prefix checkpoint)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const valuesStart = PREAMBLE_BYTES + headerLength;
  if (valuesStart > bytes.length || (bytes.length - valuesStart) % 4 !== 0) {
    throw refuse(bytes, 'a complete checkpoint (header and float32 values)');
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, valuesStart)));
  } catch {
    throw refuse(bytes, 'a JSON metadata header');
  }
  const keyValues = new Float32Array((bytes.length - valuesStart) / 4);
  for (let index = 0; index < keyValues.length; index++) {
    keyValues[index] = view.getFloat32(valuesStart + 4 * index, true);
  }
  return checkPrefixCheckpoint(functionName, 'bytes', { metadata, keyValues });
}
