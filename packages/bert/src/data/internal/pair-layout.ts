/** One side of a pair: consecutive sentences of one document, and how much of them is kept. */
export interface PairSide {
  readonly sentences: readonly Int32Array[];
  readonly first: number;
  /** Tokens dropped at the front. */
  skip: number;
  /** Tokens kept. */
  length: number;
}

/** The side made of `sentences[first..end)`, whole. */
export function sideOf(sentences: readonly Int32Array[], first: number, end: number): PairSide {
  let length = 0;
  for (let index = first; index < end; index++) length += sentences[index]!.length;
  return { sentences, first, skip: 0, length };
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

/** Copies the kept tokens of `side` into `target` at `at`. */
function copySide(side: PairSide, target: Int32Array, at: number): void {
  let remainingSkip = side.skip;
  let remaining = side.length;
  let write = at;
  for (let index = side.first; remaining > 0; index++) {
    const sentence = side.sentences[index]!;
    const start = Math.min(remainingSkip, sentence.length);
    remainingSkip -= start;
    const take = Math.min(sentence.length - start, remaining);
    for (let offset = 0; offset < take; offset++) target[write++] = sentence[start + offset]!;
    remaining -= take;
  }
}

/** Writes `[CLS] A [SEP] B [SEP]` and its token types (0 through the first `[SEP]`, then 1). */
export function layoutPair(
  clsTokenId: number,
  sepTokenId: number,
  storage: Int32Blocks,
  a: PairSide,
  b: PairSide,
): { inputIds: Int32Array; tokenTypeIds: Int32Array } {
  const total = a.length + b.length + 3;
  const inputIds = storage.take(total);
  const tokenTypeIds = storage.take(total);
  inputIds[0] = clsTokenId;
  copySide(a, inputIds, 1);
  inputIds[a.length + 1] = sepTokenId;
  copySide(b, inputIds, a.length + 2);
  inputIds[total - 1] = sepTokenId;
  // A loop: fill() on a short view costs more than the writes themselves.
  for (let index = a.length + 2; index < total; index++) tokenTypeIds[index] = 1;
  return { inputIds, tokenTypeIds };
}
