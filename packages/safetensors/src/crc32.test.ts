import { describe, expect, it } from 'vitest';
import { crc32, updateCrc32 } from './crc32';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('crc32', () => {
  it('gives the standard check values (zlib.crc32 in Python gives the same)', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('equals the incremental form fed in parts', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, index) => (index * 37 + 11) & 0xff);
    let state = 0xffffffff;
    for (const [start, end] of [
      [0, 1],
      [1, 400],
      [400, 1000],
    ] as const) {
      state = updateCrc32(state, bytes.subarray(start, end));
    }
    expect(crc32(bytes)).toBe(~state >>> 0);
  });

  it('changes when any single bit of the input flips', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, index) => index);
    const original = crc32(bytes);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(crc32(flipped)).not.toBe(original);
    }
  });
});
