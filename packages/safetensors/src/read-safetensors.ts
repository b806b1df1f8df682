import { checkDeclaredFormat, type DeclaredFormat } from './check-declared-format';
import { CHECKSUM_METADATA_KEY, contentChecksum } from './content-checksum';
import { DTYPE_BYTES, isSafetensorsDtype, type SafetensorsDtype } from './dtypes';
import {
  bfloat16BitsToNumber,
  float16BitsToNumber,
  upcastBfloat16,
  upcastFloat16,
} from './half-precision';
import { jsonNestingDepth, MAX_HEADER_DEPTH } from './header-nesting-depth';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error';
import { elementCount, type SafetensorsData, type SafetensorsTensor } from './tensor-entry';

/** What {@link readSafetensors} returns. */
export interface SafetensorsFile {
  /** The tensors by name, in the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** The free-form `__metadata__` strings (empty when the file has none). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The largest header the reference implementation accepts (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const FUNCTION_NAME = 'readSafetensors';
const METADATA_KEY = '__metadata__';
const HEADER = '__header__';

function fail(
  code: SafetensorsErrorCode,
  key: string,
  expected: string,
  received: string,
  fix: string,
  cause?: unknown,
): never {
  throw new SafetensorsError(
    { functionName: FUNCTION_NAME, code, key, expected, received, fix },
    cause === undefined ? undefined : { cause },
  );
}

/** A validated header entry. */
export interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A value as JSON for a message, cut to 80 characters (a corrupt header can hold huge values). */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseEntry(name: string, value: unknown): Entry {
  const fix = 'the file is corrupt or was not written by a safetensors writer; write it again.';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail('invalid-entry', name, 'an object { dtype, shape, data_offsets }', shortJson(value), fix);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') {
    fail('invalid-entry', name, 'a dtype string such as "F32"', shortJson(dtype), fix);
  }
  if (!isSafetensorsDtype(dtype)) {
    fail(
      'unknown-dtype',
      name,
      'a safetensors dtype (F64, F32, F16, BF16, I64, I32, I16, I8, U8, …, BOOL)',
      shortJson(dtype),
      'write the tensor with a dtype the format defines.',
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(
      'invalid-entry',
      name,
      'a shape: an array of non-negative integers',
      shortJson(shape),
      fix,
    );
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !isCount(offsets[0]) ||
    !isCount(offsets[1]) ||
    offsets[1] < offsets[0]
  ) {
    fail(
      'invalid-entry',
      name,
      'data_offsets [begin, end] with 0 ≤ begin ≤ end',
      shortJson(offsets),
      fix,
    );
  }
  return { name, dtype, shape, begin: offsets[0], end: offsets[1] };
}

/** Whether this host stores numbers little-endian, as the format does (every mainstream platform). */
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The typed array for the dtypes whose bytes are the values as they are (no upcast, no check). */
const DIRECT_ARRAYS: Partial<
  Record<SafetensorsDtype, new (buffer: ArrayBuffer) => SafetensorsData>
> = {
  F32: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
  I32: Int32Array,
  U32: Uint32Array,
  I16: Int16Array,
  U16: Uint16Array,
  I8: Int8Array,
  U8: Uint8Array,
};

/**
 * Decodes one tensor. On little-endian hosts, dtypes stored as they are read become one copy of
 * their bytes (the copy starts aligned, whatever the file's alignment) and float16/bfloat16 are
 * upcast from such a copy; `BOOL` (checked value by value) and big-endian hosts go through
 * {@link decodeElementwise}.
 */
export function decode(entry: Entry, bytes: Uint8Array, start: number): SafetensorsData {
  const Direct = DIRECT_ARRAYS[entry.dtype];
  const half = entry.dtype === 'F16' || entry.dtype === 'BF16';
  if (LITTLE_ENDIAN_HOST && (Direct !== undefined || half)) {
    const at = bytes.byteOffset + start + entry.begin;
    const copy = bytes.buffer.slice(at, bytes.byteOffset + start + entry.end) as ArrayBuffer;
    if (Direct !== undefined) return new Direct(copy);
    const bits = new Uint16Array(copy);
    return entry.dtype === 'F16' ? upcastFloat16(bits) : upcastBfloat16(bits);
  }
  return decodeElementwise(
    entry,
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    start,
  );
}

/** Decodes one tensor element by element with explicit little-endian reads (any host, every dtype). */
export function decodeElementwise(entry: Entry, view: DataView, start: number): SafetensorsData {
  const count = elementCount(entry.shape);
  const at = start + entry.begin;
  const size = DTYPE_BYTES[entry.dtype];
  const fill = <T extends { [index: number]: number | bigint }>(
    array: T,
    read: (offset: number) => T[number],
  ): T => {
    for (let index = 0; index < count; index++) array[index] = read(at + index * size);
    return array;
  };
  switch (entry.dtype) {
    case 'F32':
      return fill(new Float32Array(count), (offset) => view.getFloat32(offset, true));
    case 'F16':
      return fill(new Float32Array(count), (offset) =>
        float16BitsToNumber(view.getUint16(offset, true)),
      );
    case 'BF16':
      return fill(new Float32Array(count), (offset) =>
        bfloat16BitsToNumber(view.getUint16(offset, true)),
      );
    case 'F64':
      return fill(new Float64Array(count), (offset) => view.getFloat64(offset, true));
    case 'I64':
      return fill(new BigInt64Array(count), (offset) => view.getBigInt64(offset, true));
    case 'U64':
      return fill(new BigUint64Array(count), (offset) => view.getBigUint64(offset, true));
    case 'I32':
      return fill(new Int32Array(count), (offset) => view.getInt32(offset, true));
    case 'U32':
      return fill(new Uint32Array(count), (offset) => view.getUint32(offset, true));
    case 'I16':
      return fill(new Int16Array(count), (offset) => view.getInt16(offset, true));
    case 'U16':
      return fill(new Uint16Array(count), (offset) => view.getUint16(offset, true));
    case 'I8':
      return fill(new Int8Array(count), (offset) => view.getInt8(offset));
    case 'U8':
      return fill(new Uint8Array(count), (offset) => view.getUint8(offset));
    case 'BOOL':
      return fill(new Uint8Array(count), (offset) => {
        const value = view.getUint8(offset);
        if (value > 1) {
          fail(
            'invalid-entry',
            entry.name,
            'BOOL bytes that are 0 or 1',
            `the byte ${value}`,
            'the file is corrupt; write it again.',
          );
        }
        return value;
      });
    default:
      return fail(
        'unsupported-dtype',
        entry.name,
        'a dtype this reader decodes (every dtype except the 8-bit floats F8_E5M2 and F8_E4M3)',
        entry.dtype,
        'convert the tensor to F16, BF16 or F32 before saving it.',
      );
  }
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      'invalid-metadata',
      METADATA_KEY,
      'an object of string values',
      shortJson(value),
      'store only strings in __metadata__ (serialise numbers and objects to text first).',
    );
  }
  const metadata: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'string') {
      fail(
        'invalid-metadata',
        `${METADATA_KEY}.${key}`,
        'a string value',
        shortJson(entry),
        'store only strings in __metadata__ (serialise numbers and objects to text first).',
      );
    }
    metadata[key] = entry;
  }
  return metadata;
}

/** Reads the header: its byte length, validated against the file, and the parsed JSON object. */
function readHeader(bytes: Uint8Array, view: DataView): { length: number; json: object } {
  if (bytes.length < 8) {
    fail(
      'truncated',
      HEADER,
      'at least 8 bytes (the little-endian u64 header length)',
      `${bytes.length} bytes`,
      'the file is truncated; download or write it again.',
    );
  }
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES) || declared > BigInt(bytes.length - 8)) {
    fail(
      declared > BigInt(MAX_HEADER_BYTES) ? 'header-too-large' : 'truncated',
      HEADER,
      `a header length of at most ${Math.min(MAX_HEADER_BYTES, bytes.length - 8)} bytes (what follows the length in this ${bytes.length}-byte file, and at most 100 MB)`,
      `${declared} bytes`,
      'the file is truncated or is not a safetensors file.',
    );
  }
  const length = Number(declared);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + length));
  } catch (error) {
    return fail(
      'invalid-header',
      HEADER,
      'a UTF-8 header',
      'bytes that are not UTF-8',
      'the file is corrupt; write it again.',
      error,
    );
  }
  if (jsonNestingDepth(text, MAX_HEADER_DEPTH) > MAX_HEADER_DEPTH) {
    fail(
      'header-too-deep',
      HEADER,
      `a header nested at most ${MAX_HEADER_DEPTH} levels deep (a valid one nests 3: header, tensor entry, shape)`,
      `arrays or objects nested more than ${MAX_HEADER_DEPTH} levels deep`,
      'the file is corrupt or is not a safetensors file; do not read it.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(
      'invalid-header',
      HEADER,
      'a JSON header',
      `text that is not JSON (${text.length > 60 ? `${text.slice(0, 60)}…` : text})`,
      'the file is corrupt or is not a safetensors file.',
      error,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    fail(
      'invalid-header',
      HEADER,
      'a JSON object',
      shortJson(json),
      'the file is not a safetensors file.',
    );
  }
  return { length, json };
}

/** Options of {@link readSafetensors}. */
export interface ReadSafetensorsOptions {
  /**
   * Refuse a file without a content checksum (`__metadata__.content_crc32`, see
   * `writeSafetensors`'s `checksum` option). A checksum that is present is verified either way.
   * Default `false`.
   */
  requireChecksum?: boolean;
  /** The function to name in errors, for a library that reads files on its users' behalf. Default `'readSafetensors'`. */
  functionName?: string;
  /**
   * Refuse a file whose `__metadata__` does not declare this `format` and `formatVersion`
   * (`unexpected-format`), checked before the checksum and the data.
   */
  expectedFormat?: DeclaredFormat;
}

/** Checks that the entries' data tile the data section exactly: no overlap, no gap, sizes that fit. */
function checkDataLayout(entries: Entry[], dataLength: number): void {
  // Files from older writers may list tensors in any order; the data must still tile exactly.
  entries.sort((left, right) => left.begin - right.begin || left.end - right.end);
  let expectedBegin = 0;
  for (const entry of entries) {
    if (entry.begin !== expectedBegin) {
      fail(
        entry.begin < expectedBegin ? 'overlapping-data' : 'gap-in-data',
        entry.name,
        `data starting at byte ${expectedBegin} (where the previous tensor ends)`,
        `data_offsets [${entry.begin}, ${entry.end}]`,
        'the offsets are corrupt; write the file again.',
      );
    }
    const expectedBytes = elementCount(entry.shape) * DTYPE_BYTES[entry.dtype];
    if (entry.end - entry.begin !== expectedBytes) {
      fail(
        'size-mismatch',
        entry.name,
        `${expectedBytes} bytes (shape [${entry.shape.join(', ')}] × ${DTYPE_BYTES[entry.dtype]} bytes of ${entry.dtype})`,
        `${entry.end - entry.begin} bytes (data_offsets [${entry.begin}, ${entry.end}])`,
        'the shape, dtype or offsets are corrupt; write the file again.',
      );
    }
    if (entry.end > dataLength) {
      fail(
        'truncated',
        entry.name,
        `data ending within the ${dataLength}-byte data section`,
        `data_offsets [${entry.begin}, ${entry.end}], beyond the end of the file`,
        'the file is truncated (or its offsets are corrupt); download or write it again.',
      );
    }
    expectedBegin = entry.end;
  }
  if (expectedBegin !== dataLength) {
    fail(
      'trailing-bytes',
      HEADER,
      `a data section of ${expectedBegin} bytes (the end of the last tensor)`,
      `${dataLength} bytes`,
      'the file has bytes no tensor describes; it is corrupt or was concatenated with something else.',
    );
  }
}

/** Verifies the content checksum when the metadata has one (and demands one when `required`). */
function verifyChecksum(
  metadata: Readonly<Record<string, string>>,
  entries: readonly Entry[],
  data: Uint8Array,
  required: boolean,
): void {
  const key = `${METADATA_KEY}.${CHECKSUM_METADATA_KEY}`;
  const stored = metadata[CHECKSUM_METADATA_KEY];
  if (stored === undefined) {
    if (!required) return;
    fail(
      'missing-checksum',
      key,
      'a file with a content checksum',
      'a file without one',
      'write the file with writeSafetensors(tensors, metadata, { checksum: true }), as the writer of this kind of file does.',
    );
  }
  const content = entries.map((entry) => ({
    name: entry.name,
    dtype: entry.dtype,
    shape: entry.shape,
    bytes: data.subarray(entry.begin, entry.end),
  }));
  const actual = contentChecksum(metadata, content);
  if (actual !== stored) {
    fail(
      'checksum-mismatch',
      key,
      `content whose CRC-32 is the stored ${stored}`,
      `content whose CRC-32 is ${actual}`,
      'the file changed after it was written (a flipped, lost or edited byte): restore it from a copy, or write it again.',
    );
  }
}

/**
 * Reads a safetensors file: an 8-byte little-endian header length $N$, $N$ bytes of UTF-8 JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { key: string } }`, then
 * the little-endian data, with offsets relative to the start of the data.
 *
 * Validation is strict: the header may nest at most 64 levels, the offsets must tile the data
 * section exactly (no overlap, no gap, no trailing bytes), each tensor's byte size must equal its
 * element count times its dtype size, a content checksum in the metadata must match, and every
 * failure is a {@link SafetensorsError} naming the tensor or header key. `F16` and `BF16` are
 * upcast exactly to float32; `I64`/`U64` read into `BigInt64Array`/`BigUint64Array`.
 *
 * @example
 * const { tensors, metadata } = readSafetensors(new Uint8Array(await file.arrayBuffer()));
 * const weight = tensors.get('lora_A.weight'); // { dtype: 'F32', shape: [8, 768], data: Float32Array }
 */
export function readSafetensors(
  bytes: Uint8Array,
  options: ReadSafetensorsOptions = {},
): SafetensorsFile {
  try {
    return readFile(bytes, options.requireChecksum === true, options.expectedFormat);
  } catch (error) {
    const functionName = options.functionName;
    if (functionName === undefined || !SafetensorsError.isInstance(error)) throw error;
    const { code, key, expected, received, fix } = error;
    throw new SafetensorsError(
      { functionName, code, key, expected, received, fix },
      { cause: error },
    );
  }
}

function readFile(
  bytes: Uint8Array,
  requireChecksum: boolean,
  expectedFormat: DeclaredFormat | undefined,
): SafetensorsFile {
  if (!(bytes instanceof Uint8Array)) {
    fail(
      'invalid-argument',
      'bytes',
      'a Uint8Array',
      bytes === null ? 'null' : typeof bytes,
      'pass the file contents, e.g. new Uint8Array(await response.arrayBuffer()).',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = readHeader(bytes, view);
  const dataStart = 8 + header.length;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header.json)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries.push(parseEntry(name, value));
  }
  if (expectedFormat !== undefined) checkDeclaredFormat(metadata, expectedFormat);
  checkDataLayout(entries, bytes.length - dataStart);
  verifyChecksum(metadata, entries, bytes.subarray(dataStart), requireChecksum);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const entry of entries) {
    tensors.set(entry.name, {
      dtype: entry.dtype,
      shape: entry.shape,
      data: decode(entry, bytes, dataStart),
    });
  }
  return { tensors, metadata };
}
