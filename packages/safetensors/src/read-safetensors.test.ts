import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from './read-safetensors';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

interface ExpectedTensor {
  dtype: string;
  shape: number[];
  values: (number | string)[];
  bits?: number[];
}
const expected = JSON.parse(
  readFileSync(new URL('./__fixtures__/mixed.golden.json', import.meta.url), 'utf8'),
) as Record<string, ExpectedTensor>;

const asNumber = (value: number | string) =>
  value === 'inf'
    ? Number.POSITIVE_INFINITY
    : value === '-inf'
      ? Number.NEGATIVE_INFINITY
      : Number(value);

describe('readSafetensors', () => {
  it('reads every tensor of a file written by Python with the dtype, shape and exact values stored', () => {
    const { tensors, metadata } = readSafetensors(fixture('mixed.safetensors'));
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, reference] of Object.entries(expected)) {
      const tensor = tensors.get(name)!;
      expect(tensor.dtype, name).toBe(reference.dtype);
      expect(tensor.shape, name).toEqual(reference.shape);
      const values = [...tensor.data];
      if (reference.dtype === 'I64') {
        expect(tensor.data).toBeInstanceOf(BigInt64Array);
        expect(values.map(String), name).toEqual(reference.values);
      } else {
        // Object.is keeps −0 apart from +0: the upcasts must be exact, bit for bit.
        values.forEach((value, index) => {
          expect(Object.is(value, asNumber(reference.values[index]!)), `${name}[${index}]`).toBe(
            true,
          );
        });
      }
    }
  });

  it('upcasts float16 and bfloat16 to float32 arrays and keeps 64-bit integers beyond 2^53 exact', () => {
    const { tensors } = readSafetensors(fixture('mixed.safetensors'));
    expect(tensors.get('half')!.data).toBeInstanceOf(Float32Array);
    expect(tensors.get('bf')!.data).toBeInstanceOf(Float32Array);
    expect(tensors.get('double')!.data).toBeInstanceOf(Float64Array);
    expect(tensors.get('ids')!.data[1]).toBe(9007199254740993n);
    expect(tensors.get('half')!.data[4]).toBe(65504);
  });

  it('lists tensors in data order and reads a file without metadata as empty metadata', () => {
    const { tensors, metadata } = readSafetensors(fixture('no-metadata.safetensors'));
    expect(metadata).toEqual({});
    expect([...tensors.keys()]).toEqual(['double', 'weight']);
  });

  it('reads a view into a larger buffer (byteOffset ≠ 0)', () => {
    const bytes = fixture('no-metadata.safetensors');
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const { tensors } = readSafetensors(padded.subarray(3));
    expect([...tensors.get('weight')!.data]).toEqual([
      ...readSafetensors(bytes).tensors.get('weight')!.data,
    ]);
  });
});
