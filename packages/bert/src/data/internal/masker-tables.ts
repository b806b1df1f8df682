import type { ResolvedMaskedLmMaskerOptions } from '../masked-lm-masker-options';

/** Per-vocabulary lookup tables, built once per masker. */
export interface MaskerTables {
  /** 1 for ids never selected (the special ids and padding). */
  readonly unselectable: Uint8Array;
  /** 1 for continuation pieces, when configured. */
  readonly continuation: Uint8Array | undefined;
}

/**
 * A buffer a masker reuses from call to call (calls are synchronous, so never two at once): the
 * selected positions of every row while the widest row of a Bernoulli batch is not yet known.
 */
export class MaskerScratch {
  private buffer = new Int32Array(0);

  /** An `Int32Array` of at least `size` elements (contents unspecified). */
  take(size: number): Int32Array {
    if (this.buffer.length < size) this.buffer = new Int32Array(size);
    return this.buffer;
  }
}

/** Builds the lookup tables of a masker's options. */
export function createMaskerTables(options: ResolvedMaskedLmMaskerOptions): MaskerTables {
  const unselectable = new Uint8Array(options.vocabularySize);
  for (const id of options.specialTokenIds) unselectable[id] = 1;
  if (options.padTokenId !== undefined) unselectable[options.padTokenId] = 1;
  let continuation: Uint8Array | undefined;
  if (options.continuationTokenIds.length > 0) {
    continuation = new Uint8Array(options.vocabularySize);
    for (const id of options.continuationTokenIds) continuation[id] = 1;
  }
  return { unselectable, continuation };
}
