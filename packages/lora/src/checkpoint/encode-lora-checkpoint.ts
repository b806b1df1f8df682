import { InvalidArgumentError } from '@lm-objectives/core';
import { checkLoraCheckpoint } from './load-lora-adapters';
import type { LoraCheckpoint, LoraCheckpointMetadata } from './lora-checkpoint';

/** The first four bytes of an encoded checkpoint. */
const MAGIC = [0x4c, 0x4f, 0x52, 0x41]; // "LORA"

/**
 * One self-describing byte array for a {@link LoraCheckpoint}: the magic `LORA`, the header length
 * (uint32 little-endian), the metadata as UTF-8 JSON padded to 4 bytes, then the weights as
 * float32 little-endian.
 */
export function encodeLoraCheckpoint(checkpoint: LoraCheckpoint): Uint8Array {
  const { metadata, weights } = checkLoraCheckpoint('encodeLoraCheckpoint', checkpoint);
  const header = new TextEncoder().encode(JSON.stringify(metadata));
  const headerLength = Math.ceil(header.length / 4) * 4;
  const bytes = new Uint8Array(8 + headerLength + weights.length * 4);
  bytes.set(MAGIC, 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, headerLength, true);
  bytes.fill(0x20, 8, 8 + headerLength); // JSON allows trailing spaces
  bytes.set(header, 8);
  const start = 8 + headerLength;
  for (let index = 0; index < weights.length; index++) {
    view.setFloat32(start + index * 4, weights[index]!, true);
  }
  return bytes;
}

/** Reads bytes written by {@link encodeLoraCheckpoint}; throws on anything else. */
export function decodeLoraCheckpoint(bytes: Uint8Array): LoraCheckpoint {
  const functionName = 'decodeLoraCheckpoint';
  const invalid = (expected: string, received: unknown) =>
    new InvalidArgumentError({
      functionName,
      argumentName: 'bytes',
      expected,
      received,
      fix: 'pass the unchanged bytes that encodeLoraCheckpoint produced.',
    });
  if (
    !(bytes instanceof Uint8Array) ||
    bytes.length < 8 ||
    MAGIC.some((byte, i) => bytes[i] !== byte)
  ) {
    throw invalid('bytes starting with the magic "LORA"', bytes);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const weightBytes = bytes.length - 8 - headerLength;
  if (headerLength % 4 !== 0 || weightBytes < 0 || weightBytes % 4 !== 0) {
    throw invalid(`a header length that fits in ${bytes.length} bytes`, headerLength);
  }
  let metadata: LoraCheckpointMetadata;
  try {
    metadata = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new InvalidArgumentError(
      {
        functionName,
        argumentName: 'bytes',
        expected: 'a JSON metadata header',
        received: bytes,
        fix: 'pass the unchanged bytes that encodeLoraCheckpoint produced.',
      },
      { cause: error },
    );
  }
  const weights = new Float32Array(weightBytes / 4);
  const start = 8 + headerLength;
  for (let index = 0; index < weights.length; index++) {
    weights[index] = view.getFloat32(start + index * 4, true);
  }
  return checkLoraCheckpoint(functionName, { metadata, weights });
}
