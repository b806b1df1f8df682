import { CHECKSUM_METADATA_KEY, contentChecksum } from './content-checksum';
import { DTYPE_BYTES, dtypeOrder, isSafetensorsDtype, type SafetensorsDtype } from './dtypes';
import { SafetensorsError } from './safetensors-error';
import { elementCount, type SafetensorsData, type SafetensorsTensorInput } from './tensor-entry';

const FUNCTION_NAME = 'writeSafetensors';
const METADATA = '__metadata__';

/** The typed array each dtype is written from (`F16`/`BF16` from their raw bits). */
const ARRAY_OF: Readonly<Record<SafetensorsDtype, string | undefined>> = {
  F32: 'Float32Array',
  F64: 'Float64Array',
  F16: 'Uint16Array',
  BF16: 'Uint16Array',
  I64: 'BigInt64Array',
  U64: 'BigUint64Array',
  I32: 'Int32Array',
  U32: 'Uint32Array',
  I16: 'Int16Array',
  U16: 'Uint16Array',
  I8: 'Int8Array',
  U8: 'Uint8Array',
  BOOL: 'Uint8Array',
  F8_E5M2: undefined,
  F8_E4M3: undefined,
};

function invalid(key: string, expected: string, received: string, fix: string): never {
  throw new SafetensorsError({
    functionName: FUNCTION_NAME,
    code: 'invalid-argument',
    key,
    expected,
    received,
    fix,
  });
}

/** A validated tensor to write. */
export interface Prepared {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafetensorsData;
}

function prepare(name: string, tensor: SafetensorsTensorInput): Prepared {
  if (name === '' || name === '__metadata__') {
    invalid(
      name || '(empty name)',
      'a non-empty tensor name other than "__metadata__"',
      JSON.stringify(name),
      'rename the tensor.',
    );
  }
  if (tensor === null || typeof tensor !== 'object') {
    invalid(
      name,
      'a tensor { dtype?, shape, data }',
      String(tensor),
      'pass { shape, data: Float32Array }.',
    );
  }
  const dtype = tensor.dtype ?? 'F32';
  const arrayName = isSafetensorsDtype(dtype) ? ARRAY_OF[dtype] : undefined;
  if (arrayName === undefined) {
    invalid(
      name,
      'a dtype this writer supports (F32, F64, F16/BF16 as raw bits, I64, U64, I32, U32, I16, U16, I8, U8, BOOL)',
      JSON.stringify(dtype),
      "pass dtype: 'F32' with a Float32Array.",
    );
  }
  const shape = tensor.shape;
  if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
    invalid(
      name,
      'a shape: an array of non-negative integers',
      JSON.stringify(shape),
      'pass e.g. shape: [8, 768].',
    );
  }
  const data = tensor.data;
  // The tag survives minification and counts a Node Buffer as the Uint8Array it is.
  const received =
    data === null || typeof data !== 'object'
      ? String(data)
      : Object.prototype.toString.call(data).slice(8, -1);
  if (data === null || typeof data !== 'object' || received !== arrayName) {
    invalid(
      name,
      `a ${arrayName} for dtype ${dtype}`,
      received,
      `pass the values as a ${arrayName}.`,
    );
  }
  if (data.length !== elementCount(shape)) {
    invalid(
      name,
      `${elementCount(shape)} values (shape [${shape.join(', ')}])`,
      `${data.length} values`,
      'make the shape match the number of values.',
    );
  }
  if (dtype === 'BOOL' && (data as Uint8Array).some((value) => value > 1)) {
    invalid(
      name,
      'BOOL values that are 0 or 1',
      'a value above 1',
      'pass 0 for false and 1 for true.',
    );
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: [...shape], data };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Copies a tensor's bytes in one go on little-endian hosts (the format's byte order), else element by element. */
function writeData(bytes: Uint8Array, view: DataView, at: number, tensor: Prepared): void {
  const { data } = tensor;
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    return;
  }
  writeElementwise(view, at, tensor);
}

/** Writes a tensor element by element with explicit little-endian stores (any host). */
export function writeElementwise(view: DataView, at: number, tensor: Prepared): void {
  const { data } = tensor;
  const size = DTYPE_BYTES[tensor.dtype];
  for (let index = 0; index < data.length; index++) {
    const offset = at + index * size;
    const value = data[index]!;
    switch (tensor.dtype) {
      case 'F32':
        view.setFloat32(offset, value as number, true);
        break;
      case 'F64':
        view.setFloat64(offset, value as number, true);
        break;
      case 'I64':
        view.setBigInt64(offset, value as bigint, true);
        break;
      case 'U64':
        view.setBigUint64(offset, value as bigint, true);
        break;
      case 'I32':
        view.setInt32(offset, value as number, true);
        break;
      case 'U32':
        view.setUint32(offset, value as number, true);
        break;
      case 'I16':
        view.setInt16(offset, value as number, true);
        break;
      case 'F16':
      case 'BF16':
      case 'U16':
        view.setUint16(offset, value as number, true);
        break;
      case 'I8':
        view.setInt8(offset, value as number);
        break;
      default:
        view.setUint8(offset, value as number);
    }
  }
}

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /**
   * Store a content checksum under `__metadata__.content_crc32` (CRC-32 of the metadata and the
   * tensors, see `contentChecksum`), which `readSafetensors` verifies: a flipped or lost byte is
   * then an error instead of silently wrong values. Default `false` (the reference layout).
   */
  checksum?: boolean;
}

/** Checks the `__metadata__` strings. */
function checkMetadata(metadata: unknown): Readonly<Record<string, string>> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    invalid(
      '__metadata__',
      'an object of string values',
      String(metadata),
      'pass e.g. { format: "pt" }.',
    );
  }
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') {
      invalid(
        `__metadata__.${key}`,
        'a string value',
        JSON.stringify(value),
        'serialise the value to a string first.',
      );
    }
  }
  return metadata as Record<string, string>;
}

/** What a checksummed header starts with; the 8 hex digits that follow are written last. */
const CHECKSUM_HEADER_PREFIX = `{"${METADATA}":{"${CHECKSUM_METADATA_KEY}":"`;
const CHECKSUM_PLACEHOLDER = '00000000';

/**
 * Writes tensors (and optional `__metadata__` strings) as a safetensors file, laid out as the
 * reference implementation lays it out, byte for byte: tensors sorted by dtype alignment
 * (largest first) and then by name, data packed back to back in that order, the compact JSON
 * header starting with `__metadata__` and padded with spaces to a multiple of 8 bytes so that
 * every tensor's data stays aligned. With `checksum: true`, `__metadata__` starts with
 * `content_crc32`, the content checksum `readSafetensors` verifies.
 *
 * @param tensors by name: `{ shape, data, dtype? }` (`dtype` defaults to `'F32'`, `data` a `Float32Array`).
 * @param metadata free-form strings stored under `__metadata__` (PEFT writes `{ format: 'pt' }`).
 * @example
 * const bytes = writeSafetensors({ 'lora_A.weight': { shape: [8, 768], data: a } }, { format: 'pt' });
 */
export function writeSafetensors(
  tensors:
    | ReadonlyMap<string, SafetensorsTensorInput>
    | Readonly<Record<string, SafetensorsTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  if (tensors === null || typeof tensors !== 'object') {
    invalid(
      'tensors',
      'a Map or an object of tensors by name',
      String(tensors),
      'pass { name: { shape, data } }.',
    );
  }
  const named = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const prepared = named.map(([name, tensor]) => prepare(name, tensor));
  prepared.sort(
    (left, right) =>
      dtypeOrder(right.dtype) - dtypeOrder(left.dtype) ||
      (left.name < right.name ? -1 : left.name > right.name ? 1 : 0),
  );
  const given = metadata === undefined ? undefined : checkMetadata(metadata);
  const withChecksum = options.checksum === true;
  if (withChecksum && given?.[CHECKSUM_METADATA_KEY] !== undefined) {
    invalid(
      `__metadata__.${CHECKSUM_METADATA_KEY}`,
      'no value: the writer computes the checksum',
      given[CHECKSUM_METADATA_KEY],
      `leave ${CHECKSUM_METADATA_KEY} out of the metadata.`,
    );
  }
  const header: Record<string, unknown> = {};
  if (withChecksum) header[METADATA] = { [CHECKSUM_METADATA_KEY]: CHECKSUM_PLACEHOLDER, ...given };
  else if (given !== undefined) header[METADATA] = given;
  let offset = 0;
  const ranges: [number, number][] = [];
  for (const tensor of prepared) {
    const end = offset + tensor.data.length * DTYPE_BYTES[tensor.dtype];
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, end] };
    ranges.push([offset, end]);
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  const dataStart = 8 + headerLength;
  for (const [index, tensor] of prepared.entries()) {
    writeData(bytes, view, dataStart + ranges[index]![0], tensor);
  }
  if (withChecksum) {
    const checksum = contentChecksum(
      given ?? {},
      prepared.map((tensor, index) => ({
        ...tensor,
        bytes: bytes.subarray(dataStart + ranges[index]![0], dataStart + ranges[index]![1]),
      })),
    );
    bytes.set(new TextEncoder().encode(checksum), 8 + CHECKSUM_HEADER_PREFIX.length);
  }
  return bytes;
}
