const marker = 'lm-objectives.error.safetensors';
const symbol = Symbol.for(marker);

/**
 * What went wrong, as a stable code programs can branch on:
 * - `'invalid-argument'`: the function was called with something it cannot use (not bytes, a bad tensor);
 * - `'truncated'`: the file ends before its header or its data does (offsets beyond the end);
 * - `'header-too-large'`: the header length exceeds the file or the 100 MB limit of the reference implementation;
 * - `'invalid-header'`: the header is not UTF-8 JSON describing an object;
 * - `'invalid-entry'`: a tensor entry lacks `dtype`, `shape` or `data_offsets`, or one of them is malformed;
 * - `'unknown-dtype'` / `'unsupported-dtype'`: a dtype the format does not define / this reader cannot decode;
 * - `'overlapping-data'`, `'gap-in-data'`, `'trailing-bytes'`: the data offsets do not tile the data section exactly (offsets beyond the end of the file are `'truncated'`);
 * - `'size-mismatch'`: a tensor's byte size is not its element count times its dtype size;
 * - `'header-too-deep'`: the header nests arrays or objects more than 64 levels deep (a valid one nests 3);
 * - `'invalid-metadata'`: `__metadata__` is not an object of strings;
 * - `'unexpected-format'`: the reader expected a declared `format` / `formatVersion` the file lacks;
 * - `'missing-checksum'`: the reader required a content checksum and the file has none;
 * - `'checksum-mismatch'`: the content no longer matches the checksum stored when it was written.
 */
export type SafetensorsErrorCode =
  | 'invalid-argument'
  | 'truncated'
  | 'header-too-large'
  | 'header-too-deep'
  | 'invalid-header'
  | 'invalid-entry'
  | 'unknown-dtype'
  | 'unsupported-dtype'
  | 'overlapping-data'
  | 'gap-in-data'
  | 'trailing-bytes'
  | 'size-mismatch'
  | 'invalid-metadata'
  | 'unexpected-format'
  | 'missing-checksum'
  | 'checksum-mismatch';

/** The facts a {@link SafetensorsError} message is built from. */
export interface SafetensorsProblem {
  /** The public function that failed, e.g. `'readSafetensors'`. */
  functionName: string;
  code: SafetensorsErrorCode;
  /** The tensor name or header key at fault (`'__header__'` for the file as a whole). */
  key: string;
  /** What a valid file or argument has there. */
  expected: string;
  /** What was found. */
  received: string;
  /** How to fix it. */
  fix: string;
}

/**
 * A safetensors file (or a tensor to write) is malformed. The message names the function, the
 * tensor or header key, what was expected, what was found and how to fix it; the same facts are
 * fields. Recognised across duplicate installs by a `Symbol.for` marker ({@link SafetensorsError.isInstance}).
 */
export class SafetensorsError extends Error {
  protected readonly [symbol] = true;
  readonly functionName: string;
  readonly code: SafetensorsErrorCode;
  readonly key: string;
  readonly expected: string;
  readonly received: string;
  readonly fix: string;

  constructor(problem: SafetensorsProblem, options?: { cause?: unknown }) {
    super(
      `${problem.functionName}: ${problem.key === '__header__' ? 'the header' : `'${problem.key}'`} is invalid (${problem.code}). Expected ${problem.expected}; received ${problem.received}. Fix: ${problem.fix}`,
      options,
    );
    this.name = 'SafetensorsError';
    this.functionName = problem.functionName;
    this.code = problem.code;
    this.key = problem.key;
    this.expected = problem.expected;
    this.received = problem.received;
    this.fix = problem.fix;
  }

  /** Whether `error` is a {@link SafetensorsError} from any copy of this package. */
  static isInstance(error: unknown): error is SafetensorsError {
    return (
      error != null &&
      typeof error === 'object' &&
      (error as Record<symbol, unknown>)[Symbol.for(marker)] === true
    );
  }
}
