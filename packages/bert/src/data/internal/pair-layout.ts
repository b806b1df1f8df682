/** One side of a pair: a range of the corpus buffer (consecutive sentences of one document). */
export interface PairSide {
  /** The offset of its first kept token in the corpus buffer (moves on when truncation drops the front). */
  start: number;
  /** Tokens kept. */
  length: number;
}

/**
 * Hands out consecutive views of large `Int32Array` blocks: a typed array of its own per pair would
 * cost an allocation and a garbage-collected backing store each, which dominated the build time.
 */
export class Int32Blocks {
  private block = new Int32Array(0);
  private used = 0;

  constructor(private readonly blockSize: number) {}

  /** A fresh view of `size` zeros. */
  take(size: number): Int32Array {
    if (this.used + size > this.block.length) {
      this.block = new Int32Array(Math.max(this.blockSize, size));
      this.used = 0;
    }
    const view = this.block.subarray(this.used, this.used + size);
    this.used += size;
    return view;
  }
}

/**
 * Writes `[CLS] A [SEP] B [SEP]` from the corpus buffer `tokens`, and its token types (0 through
 * the first `[SEP]`, then 1).
 */
export function layoutPair(
  specials: { readonly clsTokenId: number; readonly sepTokenId: number },
  storage: Int32Blocks,
  tokens: Int32Array,
  a: PairSide,
  b: PairSide,
): { inputIds: Int32Array; tokenTypeIds: Int32Array } {
  const total = a.length + b.length + 3;
  const inputIds = storage.take(total);
  const tokenTypeIds = storage.take(total);
  inputIds[0] = specials.clsTokenId;
  // Loops: set() with a subarray view, or fill(), on such short ranges costs more than the writes.
  for (let index = 0; index < a.length; index++) inputIds[1 + index] = tokens[a.start + index]!;
  inputIds[a.length + 1] = specials.sepTokenId;
  const bAt = a.length + 2;
  for (let index = 0; index < b.length; index++) inputIds[bAt + index] = tokens[b.start + index]!;
  inputIds[total - 1] = specials.sepTokenId;
  for (let index = bAt; index < total; index++) tokenTypeIds[index] = 1;
  return { inputIds, tokenTypeIds };
}
