import {
  bfloat16BitsToNumber,
  DTYPE_BYTES,
  elementCount,
  float16BitsToNumber,
  isSafetensorsDtype,
  MAX_HEADER_BYTES,
  type SafetensorsDtype,
  SafetensorsError,
} from '@lm-objectives/safetensors';

/**
 * Random access to a file's bytes, so that a checkpoint is read one tensor at a time and never
 * held whole: a `Blob` (a browser `File`, or Node's `fs.openAsBlob(path)`) or your own reader.
 */
export interface ByteSource {
  /** The file's size in bytes. */
  readonly byteLength: number;
  /** Reads `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A `model.safetensors` file: its bytes in memory, a `Blob`/`File`, or a {@link ByteSource}. */
export type CheckpointBytes = Uint8Array | Blob | ByteSource;

/** One tensor of a safetensors header, validated. @internal */
export interface IndexedTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Absolute byte offset in the file. */
  readonly offset: number;
  readonly byteLength: number;
}

const FUNCTION_NAME = 'importHuggingFaceModel';

function fail(
  code: SafetensorsError['code'],
  key: string,
  expected: string,
  received: string,
): never {
  throw new SafetensorsError({
    functionName: FUNCTION_NAME,
    code,
    key,
    expected,
    received,
    fix: 'the model.safetensors file is corrupt or truncated; download it again.',
  });
}

/** Wraps bytes, a `Blob` or a reader as a {@link ByteSource}. @internal */
export function toByteSource(bytes: CheckpointBytes): ByteSource {
  if (bytes instanceof Uint8Array) {
    return {
      byteLength: bytes.byteLength,
      read: async (offset, length) => bytes.subarray(offset, offset + length),
    };
  }
  if (typeof Blob !== 'undefined' && bytes instanceof Blob) {
    return {
      byteLength: bytes.size,
      read: async (offset, length) =>
        new Uint8Array(await bytes.slice(offset, offset + length).arrayBuffer()),
    };
  }
  return bytes as ByteSource;
}

/**
 * Reads and validates a safetensors header without reading any tensor data: the 8-byte
 * little-endian header length, the JSON header, and for every tensor a known dtype, a shape, and
 * `data_offsets` that tile the data section exactly with `end − begin` = elements × dtype size.
 *
 * @returns the tensors in data order.
 * @internal
 */
export async function indexSafetensors(source: ByteSource): Promise<IndexedTensor[]> {
  if (source.byteLength < 8)
    fail('truncated', '__header__', 'at least 8 bytes', `${source.byteLength} bytes`);
  const lengthBytes = await source.read(0, 8);
  const declared = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(
    0,
    true,
  );
  if (declared > BigInt(Math.min(MAX_HEADER_BYTES, source.byteLength - 8))) {
    fail(
      'header-too-large',
      '__header__',
      `a header of at most ${Math.min(MAX_HEADER_BYTES, source.byteLength - 8)} bytes`,
      `${declared} bytes`,
    );
  }
  const headerLength = Number(declared);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(await source.read(8, headerLength)),
    );
  } catch {
    return fail('invalid-header', '__header__', 'a UTF-8 JSON header', 'bytes that are not');
  }
  const dataStart = 8 + headerLength;
  const tensors: (IndexedTensor & { begin: number })[] = [];
  for (const [name, entry] of Object.entries(header ?? {})) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
    if (typeof dtype !== 'string' || !isSafetensorsDtype(dtype))
      fail('unknown-dtype', name, 'a safetensors dtype', JSON.stringify(dtype));
    const valid = (value: unknown) =>
      typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    if (
      !Array.isArray(shape) ||
      !shape.every(valid) ||
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every(valid)
    ) {
      fail(
        'invalid-entry',
        name,
        '{ dtype, shape, data_offsets: [begin, end] }',
        JSON.stringify(entry),
      );
    }
    const [begin, end] = offsets as [number, number];
    const size = elementCount(shape as number[]) * DTYPE_BYTES[dtype];
    if (end - begin !== size) fail('size-mismatch', name, `${size} bytes`, `${end - begin} bytes`);
    tensors.push({
      name,
      dtype,
      shape: shape as number[],
      offset: dataStart + begin,
      byteLength: size,
      begin,
    });
  }
  tensors.sort((left, right) => left.begin - right.begin);
  let expected = 0;
  for (const tensor of tensors) {
    if (tensor.begin !== expected)
      fail(
        tensor.begin < expected ? 'overlapping-data' : 'gap-in-data',
        tensor.name,
        `data starting at byte ${expected}`,
        `byte ${tensor.begin}`,
      );
    expected += tensor.byteLength;
  }
  if (dataStart + expected !== source.byteLength) {
    fail(
      dataStart + expected > source.byteLength ? 'truncated' : 'trailing-bytes',
      '__header__',
      `a file of ${dataStart + expected} bytes`,
      `${source.byteLength} bytes`,
    );
  }
  return tensors;
}

/**
 * Reads one float tensor as float32: `F32` as stored, `F16` and `BF16` upcast exactly (every
 * half-precision value is a float32 value). Other dtypes are refused by the caller beforehand.
 * Assumes a little-endian host, as every platform TensorFlow.js runs on is.
 *
 * @internal
 */
export async function readFloatTensor(
  source: ByteSource,
  tensor: IndexedTensor,
): Promise<Float32Array> {
  const bytes = await source.read(tensor.offset, tensor.byteLength);
  // A fresh, aligned copy of this tensor's bytes only (a view of a Uint8Array source may be unaligned).
  const buffer =
    bytes.byteOffset % 4 === 0 &&
    tensor.dtype === 'F32' &&
    bytes.byteLength === bytes.buffer.byteLength
      ? bytes.buffer
      : bytes.slice().buffer;
  if (tensor.dtype === 'F32') return new Float32Array(buffer as ArrayBuffer);
  const bits = new Uint16Array(buffer as ArrayBuffer);
  const upcast = tensor.dtype === 'F16' ? float16BitsToNumber : bfloat16BitsToNumber;
  const values = new Float32Array(bits.length);
  for (let index = 0; index < bits.length; index++) values[index] = upcast(bits[index]!);
  return values;
}
