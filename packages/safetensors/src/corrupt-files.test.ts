import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from './read-safetensors';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error';

const golden = new Uint8Array(
  readFileSync(new URL('./__fixtures__/mixed.safetensors', import.meta.url)),
);

/** A file with a hand-made header (not padded, so any text can be tested) and `dataBytes` zero bytes. */
function fileWith(
  header: unknown,
  dataBytes: number,
  headerText = JSON.stringify(header),
): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const bytes = new Uint8Array(8 + json.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

function expectFailure(bytes: unknown, code: SafetensorsErrorCode, key: string, message?: RegExp) {
  let error: unknown;
  try {
    readSafetensors(bytes as Uint8Array);
  } catch (caught) {
    error = caught;
  }
  expect(SafetensorsError.isInstance(error), `expected a SafetensorsError ${code}`).toBe(true);
  const failure = error as SafetensorsError;
  expect({ code: failure.code, key: failure.key }).toEqual({ code, key });
  expect(failure.message).toMatch(/^readSafetensors: .* Expected .*; received .*\. Fix: /);
  if (message) expect(failure.message).toMatch(message);
}

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

describe('readSafetensors on corrupt files', () => {
  it('reports a file cut inside the data as truncated, naming the tensor that runs past the end', () => {
    expectFailure(golden.subarray(0, golden.length - 1), 'truncated', 'mask', /beyond the end/);
    expectFailure(fileWith({ w: f32([2], 0, 8) }, 4), 'truncated', 'w');
  });

  it('reports a file shorter than its length prefix or its header as truncated', () => {
    expectFailure(golden.subarray(0, 5), 'truncated', '__header__', /at least 8 bytes/);
    expectFailure(golden.subarray(0, 40), 'truncated', '__header__', /header length/);
  });

  it('refuses a header length beyond 100 MB before reading anything', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 62n, true);
    expectFailure(bytes, 'header-too-large', '__header__');
  });

  it('refuses headers that are not UTF-8, not JSON, or not an object', () => {
    const notUtf8 = fileWith(null, 0, '{"a":1}');
    notUtf8[10] = 0xff;
    expectFailure(notUtf8, 'invalid-header', '__header__', /UTF-8/);
    expectFailure(fileWith(null, 0, '{"w": {'), 'invalid-header', '__header__', /not JSON/);
    expectFailure(fileWith([1, 2], 0), 'invalid-header', '__header__', /JSON object/);
  });

  it('refuses a header nested 5,000 levels deep (a 10 KB file) with a typed error, never a RangeError', () => {
    const depth = 5000;
    const nested = (inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
    for (const headerText of [
      `{"w":${nested('')}}`,
      `{"__metadata__":${'{"k":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      `{"w":{"dtype":"F32","shape":${nested('1')},"data_offsets":[0,4]}}`,
    ]) {
      const file = fileWith(null, 0, headerText);
      expect(file.length).toBeLessThan(40_000);
      expectFailure(file, 'header-too-deep', '__header__', /at most 64 levels/);
    }
    expect(fileWith(null, 0, `{"w":${nested('')}}`).length).toBe(10_014);
  });

  it('reads headers up to 64 levels deep, and ignores brackets inside strings', () => {
    // 64 levels is within the bound: the entry is then refused for what it is, not for its depth.
    expectFailure(
      fileWith(null, 0, `{"w":${'['.repeat(63)}${']'.repeat(63)}}`),
      'invalid-entry',
      'w',
    );
    expectFailure(
      fileWith(null, 0, `{"w":${'['.repeat(64)}${']'.repeat(64)}}`),
      'header-too-deep',
      '__header__',
    );
    const brackets = '[{'.repeat(100);
    const bytes = fileWith({ __metadata__: { note: `${brackets} \\" ${brackets}` } }, 0);
    expect(readSafetensors(bytes).metadata['note']).toBe(`${brackets} \\" ${brackets}`);
  });

  it('names the tensor whose dtype is unknown or not decodable', () => {
    expectFailure(
      fileWith({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, 16),
      'unknown-dtype',
      'w',
      /"F128"/,
    );
    expectFailure(
      fileWith({ w: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, 2),
      'unsupported-dtype',
      'w',
    );
  });

  it('names the tensor whose byte size differs from shape × dtype size', () => {
    expectFailure(fileWith({ w: f32([2, 3], 0, 20) }, 20), 'size-mismatch', 'w', /24 bytes/);
    expectFailure(
      fileWith({ w: { dtype: 'F16', shape: [4], data_offsets: [0, 16] } }, 16),
      'size-mismatch',
      'w',
      /2 bytes of F16/,
    );
  });

  it('names the tensor whose data overlaps the previous one or leaves a gap', () => {
    expectFailure(fileWith({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), 'overlapping-data', 'b');
    expectFailure(fileWith({ a: f32([2], 0, 8), b: f32([2], 12, 20) }, 20), 'gap-in-data', 'b');
    expectFailure(fileWith({ a: f32([2], 4, 12) }, 12), 'gap-in-data', 'a');
  });

  it('refuses bytes after the last tensor', () => {
    expectFailure(fileWith({ a: f32([2], 0, 8) }, 9), 'trailing-bytes', '__header__', /9 bytes/);
  });

  it('names malformed entries: missing shape, negative or fractional sizes, reversed offsets', () => {
    expectFailure(
      fileWith({ w: { dtype: 'F32', data_offsets: [0, 4] } }, 4),
      'invalid-entry',
      'w',
      /shape/,
    );
    expectFailure(fileWith({ w: f32([-1], 0, 4) }, 4), 'invalid-entry', 'w');
    expectFailure(fileWith({ w: f32([1.5], 0, 4) }, 4), 'invalid-entry', 'w');
    expectFailure(fileWith({ w: f32([1], 4, 0) }, 4), 'invalid-entry', 'w', /begin ≤ end/);
    expectFailure(fileWith({ w: 'F32' }, 0), 'invalid-entry', 'w');
  });

  it('names the metadata key whose value is not a string', () => {
    expectFailure(
      fileWith({ __metadata__: { format: 'pt', step: 3 } }, 0),
      'invalid-metadata',
      '__metadata__.step',
    );
    expectFailure(fileWith({ __metadata__: ['pt'] }, 0), 'invalid-metadata', '__metadata__');
  });

  it('refuses BOOL bytes other than 0 and 1, and arguments that are not bytes', () => {
    const bytes = fileWith({ m: { dtype: 'BOOL', shape: [2], data_offsets: [0, 2] } }, 2);
    bytes[bytes.length - 1] = 2;
    expectFailure(bytes, 'invalid-entry', 'm', /0 or 1/);
    expectFailure([1, 2, 3], 'invalid-argument', 'bytes', /Uint8Array/);
  });

  it('never fails with anything but a SafetensorsError on 2,000 randomly corrupted or cut files', () => {
    // mulberry32: a tiny seeded generator, so that a failing case can be replayed.
    let state = 20_241_129;
    const random = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    let refused = 0;
    for (let trial = 0; trial < 2000; trial++) {
      let bytes = golden.slice();
      if (trial % 3 === 0) {
        bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      } else {
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
          bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        }
      }
      try {
        const { tensors } = readSafetensors(bytes);
        // Whatever is accepted must be self-consistent.
        for (const tensor of tensors.values()) {
          expect(tensor.data.length).toBe(
            tensor.shape.reduce((product, size) => product * size, 1),
          );
        }
      } catch (error) {
        if (!SafetensorsError.isInstance(error)) throw error;
        refused++;
      }
    }
    // Every cut file is refused (a prefix never tiles the data), so at least a third are refused.
    expect(refused).toBeGreaterThanOrEqual(667);
  });
});
