import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKSUM_METADATA_KEY, contentChecksum } from './content-checksum';
import { updateCrc32 } from './crc32';
import { readSafetensors } from './read-safetensors';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error';
import type { SafetensorsTensorInput } from './tensor-entry';
import { writeSafetensors } from './write-safetensors';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

/** The error `read` throws (failing the test when it throws none, or another kind). */
function safetensorsErrorOf(read: () => unknown): SafetensorsError {
  try {
    read();
  } catch (error) {
    if (SafetensorsError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SafetensorsError, but nothing was thrown');
}

function expectCode(
  read: () => unknown,
  code: SafetensorsErrorCode,
  key: string,
): SafetensorsError {
  const error = safetensorsErrorOf(read);
  expect({ code: error.code, key: error.key }).toEqual({ code, key });
  return error;
}

/** The tensors of a file, as writeSafetensors takes them (half-precision tensors need their raw bits, so they are left out). */
function inputsOf(bytes: Uint8Array): Map<string, SafetensorsTensorInput> {
  const inputs = new Map<string, SafetensorsTensorInput>();
  for (const [name, tensor] of readSafetensors(bytes).tensors) {
    if (tensor.dtype !== 'F16' && tensor.dtype !== 'BF16') inputs.set(name, tensor);
  }
  return inputs;
}

const CHECKSUM_KEY = `__metadata__.${CHECKSUM_METADATA_KEY}`;

describe('content checksum', () => {
  it('is the standard CRC-32 (check value of "123456789" is cbf43926)', () => {
    const state = updateCrc32(0xffffffff, new TextEncoder().encode('123456789'));
    expect((~state >>> 0).toString(16)).toBe('cbf43926');
  });

  it('verifies a file whose checksum Python computed with zlib, and the writer reproduces it byte for byte', () => {
    const golden = fixture('checksummed.safetensors');
    const { tensors, metadata } = readSafetensors(golden, { requireChecksum: true });
    expect(metadata[CHECKSUM_METADATA_KEY]).toMatch(/^[0-9a-f]{8}$/);
    const expected = JSON.parse(
      readFileSync(new URL('./__fixtures__/mixed.golden.json', import.meta.url), 'utf8'),
    ) as Record<string, { bits?: number[] }>;
    const inputs = new Map<string, SafetensorsTensorInput>();
    for (const [name, tensor] of tensors) {
      const bits = expected[name]!.bits;
      inputs.set(name, { ...tensor, ...(bits ? { data: Uint16Array.from(bits) } : {}) });
    }
    const { [CHECKSUM_METADATA_KEY]: _stored, ...rest } = metadata;
    expect(writeSafetensors(inputs, rest, { checksum: true })).toEqual(golden);
  });

  it('detects every single flipped bit in the data, naming the checksum and the fix', () => {
    const golden = fixture('checksummed.safetensors');
    const dataStart = 8 + Number(new DataView(golden.buffer).getBigUint64(0, true));
    for (let at = dataStart; at < golden.length; at++) {
      for (const bit of [0, 7]) {
        const corrupt = golden.slice();
        corrupt[at]! ^= 1 << bit;
        const error = expectCode(() => readSafetensors(corrupt), 'checksum-mismatch', CHECKSUM_KEY);
        expect(error.message).toMatch(/changed after it was written.*restore it/);
      }
    }
  });

  it('detects an edited metadata value that keeps the header valid', () => {
    const golden = fixture('checksummed.safetensors');
    const text = new TextDecoder().decode(golden);
    const at = text.indexOf('"format":"pt"') + '"format":"'.length;
    const edited = golden.slice();
    edited[at] = 'q'.charCodeAt(0);
    expectCode(() => readSafetensors(edited), 'checksum-mismatch', CHECKSUM_KEY);
  });

  it('does not depend on the layout: the same content in another tensor order has the same checksum', () => {
    const content = [
      { name: 'b', dtype: 'F32', shape: [1], bytes: Uint8Array.of(0, 0, 128, 63) },
      { name: 'a', dtype: 'U8', shape: [2], bytes: Uint8Array.of(1, 2) },
    ];
    const metadata = { z: '1', a: '2' };
    const checksum = contentChecksum(metadata, content);
    expect(contentChecksum({ a: '2', z: '1' }, [...content].reverse())).toBe(checksum);
    expect(contentChecksum({ ...metadata, [CHECKSUM_METADATA_KEY]: 'ignored' }, content)).toBe(
      checksum,
    );
    // Moving a byte from one tensor's end to the next tensor's start changes it (lengths are hashed).
    expect(contentChecksum(metadata, [{ ...content[0]!, name: 'bb' }, content[1]!])).not.toBe(
      checksum,
    );
  });

  it('refuses a file without a checksum only when one is required, naming the caller', () => {
    const plain = fixture('mixed.safetensors');
    expect(readSafetensors(plain).metadata).toEqual({ format: 'pt' });
    const error = expectCode(
      () => readSafetensors(plain, { requireChecksum: true, functionName: 'decodeThing' }),
      'missing-checksum',
      CHECKSUM_KEY,
    );
    expect(error.functionName).toBe('decodeThing');
    expect(error.message).toMatch(/^decodeThing: /);
  });

  it('writes a checksum only when asked, and refuses one given in the metadata', () => {
    const inputs = inputsOf(fixture('mixed.safetensors'));
    const plain = readSafetensors(writeSafetensors(inputs, { format: 'pt' }));
    expect(plain.metadata).toEqual({ format: 'pt' });
    const checked = readSafetensors(writeSafetensors(inputs, undefined, { checksum: true }), {
      requireChecksum: true,
    });
    expect(Object.keys(checked.metadata)).toEqual([CHECKSUM_METADATA_KEY]);
    const error = expectCode(
      () => writeSafetensors(inputs, { [CHECKSUM_METADATA_KEY]: '0' }, { checksum: true }),
      'invalid-argument',
      CHECKSUM_KEY,
    );
    expect(error.message).toMatch(/writer computes the checksum/);
  });
});
