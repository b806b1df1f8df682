import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DTYPE_BYTES } from './dtypes';
import { decode, decodeElementwise, readSafetensors } from './read-safetensors';
import { writeElementwise, writeSafetensors } from './write-safetensors';

// On little-endian hosts (every test machine) reading and writing copy bytes in one go; the
// element-by-element paths serve big-endian hosts. Both must agree on every dtype.

const golden = new Uint8Array(
  readFileSync(new URL('./__fixtures__/mixed.safetensors', import.meta.url)),
);

describe('the element-by-element paths (big-endian hosts)', () => {
  it('decode every tensor of the Python file exactly as the fast path does', () => {
    const view = new DataView(golden.buffer, golden.byteOffset, golden.byteLength);
    const headerLength = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(golden.subarray(8, 8 + headerLength)));
    const { tensors } = readSafetensors(golden);
    for (const [name, tensor] of tensors) {
      const {
        dtype,
        shape,
        data_offsets: [begin, end],
      } = header[name];
      const entry = { name, dtype, shape, begin, end };
      expect(decodeElementwise(entry, view, 8 + headerLength), name).toEqual(tensor.data);
      expect(decode(entry, golden, 8 + headerLength), name).toEqual(tensor.data);
    }
  });

  it('write the same bytes as the fast path', () => {
    const { tensors } = readSafetensors(golden);
    for (const [name, tensor] of tensors) {
      if (tensor.dtype === 'F16' || tensor.dtype === 'BF16') continue; // read back as float32
      const single = writeSafetensors({ [name]: tensor });
      const start = single.length - tensor.data.length * DTYPE_BYTES[tensor.dtype];
      const copy = single.slice();
      copy.fill(0, start);
      writeElementwise(new DataView(copy.buffer), start, {
        name,
        dtype: tensor.dtype,
        shape: [...tensor.shape],
        data: tensor.data,
      });
      expect(copy, name).toEqual(single);
    }
  });
});
