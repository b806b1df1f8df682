/** The CRC-32 lookup table of the reflected polynomial 0xEDB88320, built on first use. */
let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let remainder = byte;
    for (let bit = 0; bit < 8; bit++) {
      remainder = remainder & 1 ? 0xedb88320 ^ (remainder >>> 1) : remainder >>> 1;
    }
    table[byte] = remainder >>> 0;
  }
  return table;
}

/**
 * Continues a CRC-32 (IEEE 802.3, the one of zlib, PNG and gzip) over `bytes`. Start from
 * `0xffffffff`, feed every part in order, and finish with `~state >>> 0`; it detects every
 * single-bit error and every burst of up to 32 bits.
 *
 * @internal
 */
export function updateCrc32(state: number, bytes: Uint8Array): number {
  const lookup = crc32Table();
  let crc = state;
  for (let index = 0; index < bytes.length; index++) {
    crc = lookup[(crc ^ bytes[index]!) & 0xff]! ^ (crc >>> 8);
  }
  return crc >>> 0;
}
