import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SafetensorsDtype } from './dtypes';
import { readSafetensors } from './read-safetensors';
import { SafetensorsError } from './safetensors-error';
import type { SafetensorsData, SafetensorsTensorInput } from './tensor-entry';
import { writeSafetensors } from './write-safetensors';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

const ascii = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('writeSafetensors', () => {
  it('writes a file byte-identical to the one Python laid out from the format definition', () => {
    const golden = fixture('mixed.safetensors');
    const { tensors, metadata } = readSafetensors(golden);
    const expected = JSON.parse(
      readFileSync(new URL('./__fixtures__/mixed.golden.json', import.meta.url), 'utf8'),
    ) as Record<string, { bits?: number[] }>;
    const inputs = new Map<string, SafetensorsTensorInput>();
    // Insert in a scrambled order: the writer must sort as the reference writer does.
    for (const [name, tensor] of [...tensors.entries()].reverse()) {
      const bits = expected[name]!.bits;
      inputs.set(name, {
        dtype: tensor.dtype,
        shape: tensor.shape,
        data: bits ? Uint16Array.from(bits) : tensor.data,
      });
    }
    expect(writeSafetensors(inputs, metadata)).toEqual(golden);
  });

  it('matches the reference layout of a 64-byte header exactly (no padding needed)', () => {
    const bytes = writeSafetensors({
      'attn.0': { shape: [1, 2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) },
    });
    expect(bytes.length).toBe(8 + 64 + 24);
    expect([...bytes.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(ascii(bytes.subarray(8, 72))).toBe(
      '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}',
    );
    expect([...bytes.subarray(72, 80)]).toEqual([0, 0, 0, 0, 0, 0, 128, 63]);
  });

  it('pads the header with spaces to a multiple of 8 bytes so the data stays aligned', () => {
    const bytes = writeSafetensors({
      attn0: { shape: [1, 1, 2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) },
    });
    expect(bytes[0]).toBe(72);
    expect(ascii(bytes.subarray(8, 80))).toBe(
      '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ',
    );
    expect(ascii(writeSafetensors({}))).toBe('\b\0\0\0\0\0\0\0{}      ');
    expect(ascii(writeSafetensors({}, { framework: 'pt' }).subarray(8))).toBe(
      '{"__metadata__":{"framework":"pt"}}     ',
    );
  });

  it('rounds float32 values given for F16 and BF16 as PyTorch does, and reads them back', () => {
    const golden = JSON.parse(
      readFileSync(new URL('./__fixtures__/rounding.golden.json', import.meta.url), 'utf8'),
    ) as { float32Bits: number[]; float16Bits: number[]; bfloat16Bits: number[] };
    const values = new Float32Array(Uint32Array.from(golden.float32Bits).buffer);
    const shape = [values.length];
    const bytes = writeSafetensors({
      half: { dtype: 'F16', shape, data: values },
      brain: { dtype: 'BF16', shape, data: values },
      bits: { dtype: 'F16', shape, data: Uint16Array.from(golden.float16Bits) },
    });
    const { tensors } = readSafetensors(bytes);
    expect(tensors.get('half')!.dtype).toBe('F16');
    // The file holds exactly the bits PyTorch rounds to: the same as writing those bits directly.
    const floats = (name: string) => tensors.get(name)!.data as Float32Array;
    expect(Array.from(floats('half'))).toEqual(Array.from(floats('bits')));
    const brainBits = new Uint32Array(floats('brain').slice().buffer);
    expect(Array.from(brainBits, (word) => word >>> 16)).toEqual(golden.bfloat16Bits);
    expect(() =>
      writeSafetensors({ w: { dtype: 'F16', shape: [1], data: Float64Array.of(1) } }),
    ).toThrow(/Uint16Array for dtype F16 \(raw bits\), or a Float32Array to round/);
  });

  it('round-trips every dtype it writes, with values unchanged', () => {
    const cases: [SafetensorsDtype, SafetensorsData][] = [
      ['F32', Float32Array.of(1.5, -0, 3e-38, Number.POSITIVE_INFINITY)],
      ['F64', Float64Array.of(Math.PI, -1e-300, 0, 2)],
      ['I64', BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 0n, 5n)],
      ['U64', BigUint64Array.of(2n ** 64n - 1n, 0n, 1n, 2n)],
      ['I32', Int32Array.of(-5, 7, 2 ** 31 - 1, -(2 ** 31))],
      ['U32', Uint32Array.of(2 ** 32 - 1, 0, 1, 2)],
      ['I16', Int16Array.of(-32768, 32767, 0, 1)],
      ['U16', Uint16Array.of(65535, 0, 1, 2)],
      ['I8', Int8Array.of(-128, 127, 0, 1)],
      ['U8', Uint8Array.of(255, 0, 1, 2)],
      ['BOOL', Uint8Array.of(1, 0, 0, 1)],
    ];
    const bytes = writeSafetensors(
      Object.fromEntries(
        cases.map(([dtype, data]) => [dtype.toLowerCase(), { dtype, shape: [2, 2], data }]),
      ),
    );
    const { tensors } = readSafetensors(bytes);
    for (const [dtype, data] of cases) {
      const tensor = tensors.get(dtype.toLowerCase())!;
      expect(tensor.dtype).toBe(dtype);
      expect(tensor.shape).toEqual([2, 2]);
      expect(tensor.data).toEqual(data);
    }
  });

  it('refuses, naming the tensor, data of the wrong type or length, bad shapes and non-string metadata', () => {
    const cases: [() => unknown, string, RegExp][] = [
      [
        () => writeSafetensors({ w: { shape: [2], data: Float64Array.of(1, 2) } }),
        'w',
        /Float32Array/,
      ],
      [() => writeSafetensors({ w: { shape: [3], data: Float32Array.of(1, 2) } }), 'w', /3 values/],
      [
        () => writeSafetensors({ w: { shape: [-1], data: Float32Array.of(1) } }),
        'w',
        /non-negative/,
      ],
      [
        () => writeSafetensors({ w: { dtype: 'F8_E4M3', shape: [1], data: Uint8Array.of(1) } }),
        'w',
        /supports/,
      ],
      [
        () => writeSafetensors({ __metadata__: { shape: [1], data: Float32Array.of(1) } }),
        '__metadata__',
        /other than/,
      ],
      [() => writeSafetensors({}, { step: 3 as unknown as string }), '__metadata__.step', /string/],
    ];
    for (const [call, key, message] of cases) {
      let error: unknown;
      try {
        call();
      } catch (caught) {
        error = caught;
      }
      expect(SafetensorsError.isInstance(error), key).toBe(true);
      expect((error as SafetensorsError).key).toBe(key);
      expect((error as SafetensorsError).message).toMatch(/^writeSafetensors: /);
      expect((error as SafetensorsError).message).toMatch(message);
    }
  });
});
