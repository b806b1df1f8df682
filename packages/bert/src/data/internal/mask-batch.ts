import {
  IGNORE_INDEX,
  InvalidArgumentError,
  type RandomSource,
  ShapeMismatchError,
} from '@lm-objectives/core';
import { checkRandomSource } from '../../internal/check-arguments';
import type {
  MaskedLmInput,
  MaskedLmResult,
  ResolvedMaskedLmMaskerOptions,
} from '../create-masked-lm-masker';
import { MASK_ACTION } from '../mask-action';
import { maskedLmSelectionCount } from '../masked-lm-selection-count';
import { MaskActionDraws } from './mask-action-draws';
import { drawBelow, GeometricGaps, PackedShuffleOffsets } from './random-draws';

const FUNCTION_NAME = 'MaskedLmMasker.mask';

/** Per-vocabulary lookup tables, built once per masker. */
export interface MaskerTables {
  /** 1 for ids never selected (the unselectable ids and padding). */
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
  for (const id of options.unselectableTokenIds) unselectable[id] = 1;
  if (options.padTokenId !== undefined) unselectable[options.padTokenId] = 1;
  let continuation: Uint8Array | undefined;
  if (options.continuationTokenIds.length > 0) {
    continuation = new Uint8Array(options.vocabularySize);
    for (const id of options.continuationTokenIds) continuation[id] = 1;
  }
  return { unselectable, continuation };
}

function rowMajor(
  argumentName: string,
  values: unknown,
  length: number,
  kind: 'ids' | 'mask',
): Int32Array | Uint8Array {
  const site = { functionName: FUNCTION_NAME, argumentName };
  const typed = values instanceof Int32Array || (kind === 'mask' && values instanceof Uint8Array);
  if (!typed && !Array.isArray(values)) {
    throw new InvalidArgumentError({
      ...site,
      expected:
        kind === 'ids'
          ? 'an Int32Array or an array of integers'
          : 'a Uint8Array or an array of 0/1',
      received: values,
      fix: `pass ${argumentName} as row-major [B, L] data.`,
    });
  }
  const list = values as ArrayLike<unknown>;
  if (list.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} values (shape [B, L], row-major, like inputIds)`,
      received: values,
      fix: `give one ${argumentName} value per token.`,
    });
  }
  if (typed) return values as Int32Array | Uint8Array;
  const copy = new Int32Array(length);
  for (let index = 0; index < length; index++) {
    const value = list[index];
    if (!(typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31)) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${argumentName}[${index}]`,
        expected: 'an integer',
        received: value,
        fix: `pass integer ${argumentName}.`,
      });
    }
    copy[index] = value;
  }
  return copy;
}

function resolveShape(shape: unknown, length: number): [number, number] {
  const given = shape ?? [1, length];
  const valid =
    Array.isArray(given) &&
    given.length === 2 &&
    given.every((size) => Number.isInteger(size) && size >= 0) &&
    given[0] * given[1] === length;
  if (!valid) {
    throw new ShapeMismatchError({
      functionName: FUNCTION_NAME,
      argumentName: 'input.shape',
      expected: `[B, L] with B · L = ${length} (the length of inputIds)`,
      received: given,
      fix: 'pass the batch size and the padded sequence length.',
    });
  }
  return [given[0], given[1]];
}

/**
 * Masks one batch. Rows are independent; each one goes through: grouping its selectable
 * positions into units (words or single tokens), selecting units by the policy, drawing the
 * 80/10/10 action of each selected unit (or sub-token) and recording its positions.
 */
export function maskBatch(
  options: ResolvedMaskedLmMaskerOptions,
  tables: MaskerTables,
  scratch: MaskerScratch,
  input: MaskedLmInput,
  random: RandomSource,
): MaskedLmResult {
  if (input == null || typeof input !== 'object') {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'input',
      expected: '{ inputIds, shape?, wordIds?, attentionMask? }',
      received: input,
      fix: 'pass the token ids in an object.',
    });
  }
  checkRandomSource(FUNCTION_NAME, random);
  const size = (input.inputIds as ArrayLike<number> | undefined)?.length ?? 0;
  const ids = rowMajor('input.inputIds', input.inputIds, size, 'ids') as Int32Array;
  const shape = resolveShape(input.shape, size);
  const wordIds =
    input.wordIds === undefined
      ? undefined
      : (rowMajor('input.wordIds', input.wordIds, size, 'ids') as Int32Array);
  const attention =
    input.attentionMask === undefined
      ? undefined
      : rowMajor('input.attentionMask', input.attentionMask, size, 'mask');
  return new BatchMasker(options, tables, ids, shape, wordIds, attention, random).run(scratch);
}

/** The state of one `mask` call. A class, so that the hot loops see one fixed object shape. */
class BatchMasker {
  private readonly batchSize: number;
  private readonly length: number;
  private readonly outputIds: Int32Array;
  private readonly labels: Int32Array;
  private readonly actions: Uint8Array;
  /** Start and size of each unit of the current row. */
  private readonly unitStart: Int32Array;
  private readonly unitSize: Int32Array;
  /** Whether units are whole words (else every unit is one token and `unitSize` is unused). */
  private readonly wholeWords: boolean;
  /** The current row's selected positions, in the order they were selected. */
  private readonly rowPositions: Int32Array;
  /** Whether they are in increasing order already (Bernoulli keeps units in order). */
  private rowSorted = true;
  /** The current row's units, real (non-padding) tokens, selectable tokens and selected positions. */
  private rowUnits = 0;
  private rowRealTokens = 0;
  private rowSelectableTokens = 0;
  private rowCount = 0;
  /** Exact policies: the most predictions per row (`Infinity` for an uncapped Bernoulli draw). */
  private readonly cap: number;
  private readonly actionDraws: MaskActionDraws;
  private readonly shuffleOffsets: PackedShuffleOffsets;
  private readonly gaps: GeometricGaps | undefined;

  constructor(
    private readonly options: ResolvedMaskedLmMaskerOptions,
    private readonly tables: MaskerTables,
    private readonly ids: Int32Array,
    shape: [number, number],
    private readonly wordIds: Int32Array | undefined,
    private readonly attention: Int32Array | Uint8Array | undefined,
    private readonly random: RandomSource,
  ) {
    [this.batchSize, this.length] = shape;
    const { selection, selectionRate, maxPredictions } = options;
    const length = this.length;
    // Exact policies never select more than this many positions of a row of length L.
    const exactWidth =
      maxPredictions ??
      Math.max(
        1,
        Math.ceil(length * selectionRate),
        maskedLmSelectionCount(selection, length, selectionRate, length),
      );
    this.cap =
      selection === 'bernoulli' ? (maxPredictions ?? Number.POSITIVE_INFINITY) : exactWidth;
    this.outputIds = ids.slice();
    this.labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
    this.actions = new Uint8Array(ids.length);
    this.unitStart = new Int32Array(length);
    this.unitSize = new Int32Array(length);
    this.rowPositions = new Int32Array(length);
    this.actionDraws = new MaskActionDraws(random, options.maskTokenRate, options.randomTokenRate);
    this.wholeWords = wordIds !== undefined || tables.continuation !== undefined;
    this.shuffleOffsets = new PackedShuffleOffsets(random);
    this.gaps =
      selection === 'bernoulli' && selectionRate > 0 && selectionRate < 1
        ? new GeometricGaps(random, selectionRate)
        : undefined;
  }

  run(scratch: MaskerScratch): MaskedLmResult {
    const { batchSize, length, ids, rowPositions } = this;
    const dynamicWidth =
      this.options.selection === 'bernoulli' && this.options.maxPredictions === undefined;
    // With a fixed width rows go straight into the gathered arrays; otherwise into the scratch
    // (stride L) until the widest row is known.
    const stride = dynamicWidth ? length : this.cap;
    const positions = dynamicWidth
      ? scratch.take(batchSize * length)
      : new Int32Array(batchSize * stride);
    const predictionCounts = new Int32Array(batchSize);
    let widest = 0;
    let totalPredictions = 0;
    for (let row = 0; row < batchSize; row++) {
      this.maskRow(row * length);
      const count = this.rowCount;
      const selected = rowPositions.subarray(0, count);
      if (!this.rowSorted) selected.sort();
      positions.set(selected, row * stride);
      predictionCounts[row] = count;
      totalPredictions += count;
      if (count > widest) widest = count;
    }
    const width = dynamicWidth ? Math.max(1, widest) : stride;
    const maskedPositions = dynamicWidth ? new Int32Array(batchSize * width) : positions;
    const maskedIds = new Int32Array(batchSize * width);
    const maskedWeights = new Float32Array(batchSize * width);
    for (let row = 0; row < batchSize; row++) {
      const offset = row * length;
      const count = predictionCounts[row]!;
      for (let index = 0; index < count; index++) {
        const position = positions[row * stride + index]!;
        maskedPositions[row * width + index] = position;
        maskedIds[row * width + index] = ids[offset + position]!;
        maskedWeights[row * width + index] = 1;
      }
    }
    return {
      shape: [batchSize, length],
      maxPredictions: width,
      inputIds: this.outputIds,
      labels: this.labels,
      actions: this.actions,
      maskedPositions,
      maskedIds,
      maskedWeights,
      predictionCounts,
      totalPredictions,
    };
  }

  /** Selects and corrupts the row starting at `offset`; leaves its count in `rowCount`. */
  private maskRow(offset: number): void {
    this.rowCount = 0;
    this.rowSorted = true;
    if (this.wholeWords) this.collectWords(offset);
    else this.collectTokens(offset);
    const units = this.rowUnits;
    if (units === 0) return;
    const { selection, selectionRate } = this.options;
    if (selection === 'bernoulli') {
      this.selectBernoulli(offset, units);
      return;
    }
    const tokenCount = selection === 'exact-round' ? this.rowRealTokens : this.rowSelectableTokens;
    const budget = maskedLmSelectionCount(selection, tokenCount, selectionRate, this.cap);
    this.takeShuffledUnits(offset, units, budget);
  }

  /**
   * Lists the row's selectable positions as one-token units, and counts its real (non-padding)
   * and selectable tokens. The common case, kept apart from {@link collectWords} for speed.
   */
  private collectTokens(offset: number): void {
    const { ids, attention, unitStart } = this;
    const unselectable = this.tables.unselectable;
    const vocabularySize = this.options.vocabularySize;
    const padTokenId = this.options.padTokenId ?? -1;
    const length = this.length;
    let units = 0;
    let realTokens = 0;
    for (let position = 0; position < length; position++) {
      const id = ids[offset + position]!;
      if (!(id >= 0 && id < vocabularySize)) this.throwBadId(offset + position, id);
      if (attention === undefined ? id === padTokenId : attention[offset + position] === 0)
        continue;
      realTokens++;
      if (unselectable[id] === 1) continue;
      unitStart[units++] = position;
    }
    this.rowUnits = units;
    this.rowRealTokens = realTokens;
    this.rowSelectableTokens = units;
  }

  /**
   * Groups the row's selectable positions into whole words (a run of consecutive tokens with the
   * same non-negative word id, or a token followed by its continuation pieces), and counts its
   * real (non-padding) and selectable tokens.
   */
  private collectWords(offset: number): void {
    const { ids, wordIds, attention, unitStart, unitSize } = this;
    const { unselectable, continuation } = this.tables;
    const vocabularySize = this.options.vocabularySize;
    const padTokenId = this.options.padTokenId ?? -1;
    const length = this.length;
    let units = 0;
    let realTokens = 0;
    let selectableTokens = 0;
    // A token joins the previous unit only if it directly follows that unit's last token.
    let unitEnd = -1;
    let unitWord = -1;
    for (let position = 0; position < length; position++) {
      const id = ids[offset + position]!;
      if (!(id >= 0 && id < vocabularySize)) this.throwBadId(offset + position, id);
      const isPadding =
        attention === undefined ? id === padTokenId : attention[offset + position] === 0;
      if (isPadding) continue;
      realTokens++;
      if (unselectable[id] === 1) continue;
      selectableTokens++;
      let joins = false;
      if (wordIds !== undefined) {
        const word = wordIds[offset + position]!;
        joins = word >= 0 && word === unitWord && unitEnd === position;
        unitWord = word;
      } else if (continuation !== undefined) {
        joins = continuation[id] === 1 && unitEnd === position;
      }
      if (joins) {
        unitSize[units - 1]!++;
      } else {
        unitStart[units] = position;
        unitSize[units] = 1;
        units++;
      }
      unitEnd = position + 1;
    }
    this.rowUnits = units;
    this.rowRealTokens = realTokens;
    this.rowSelectableTokens = selectableTokens;
  }

  private throwBadId(index: number, id: number): never {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `input.inputIds[${index}]`,
      expected: `a token id in [0, ${this.options.vocabularySize})`,
      received: id,
      fix: 'check that the tokenizer and vocabularySize agree.',
    });
  }

  private swapUnits(a: number, b: number): void {
    const { unitStart, unitSize } = this;
    if (!this.wholeWords) {
      const start = unitStart[a]!;
      unitStart[a] = unitStart[b]!;
      unitStart[b] = start;
      return;
    }
    const start = unitStart[a]!;
    const size = unitSize[a]!;
    unitStart[a] = unitStart[b]!;
    unitSize[a] = unitSize[b]!;
    unitStart[b] = start;
    unitSize[b] = size;
  }

  /**
   * Visits the first `units` units in a uniformly random order (a Fisher–Yates shuffle drawn
   * lazily from the front) and takes each one that fits the remaining budget, until it is spent.
   */
  private takeShuffledUnits(offset: number, units: number, budget: number): void {
    this.rowSorted = false;
    const offsets = this.shuffleOffsets;
    offsets.reset();
    let taken = 0;
    for (let index = 0; index < units && taken < budget; index++) {
      const other = index + offsets.next(units - index);
      if (other !== index) this.swapUnits(index, other);
      const size = this.wholeWords ? this.unitSize[index]! : 1;
      if (taken + size > budget) continue;
      this.applyUnit(offset, this.unitStart[index]!, size);
      taken += size;
    }
  }

  /**
   * Keeps each unit independently with probability $r$ (gaps between kept units drawn
   * geometrically: one draw per kept unit). Over the cap, a uniformly random subset that fits it.
   */
  private selectBernoulli(offset: number, units: number): void {
    const rate = this.options.selectionRate;
    if (rate <= 0) return;
    const gaps = this.gaps;
    const sizeOf = (index: number) => (this.wholeWords ? this.unitSize[index]! : 1);
    if (this.cap === Number.POSITIVE_INFINITY) {
      // No cap: apply each kept unit as it is drawn.
      if (rate >= 1 || gaps === undefined) {
        for (let index = 0; index < units; index++) {
          this.applyUnit(offset, this.unitStart[index]!, sizeOf(index));
        }
        return;
      }
      for (let index = gaps.next(); index < units; index += 1 + gaps.next()) {
        this.applyUnit(offset, this.unitStart[index]!, sizeOf(index));
      }
      return;
    }
    // With a cap: gather the kept units at the front first, in order.
    let kept = units;
    let keptTokens = this.rowSelectableTokens;
    if (rate < 1 && gaps !== undefined) {
      kept = 0;
      keptTokens = 0;
      for (let index = gaps.next(); index < units; index += 1 + gaps.next()) {
        if (kept !== index) this.swapUnits(kept, index);
        keptTokens += sizeOf(kept);
        kept++;
      }
    }
    if (keptTokens <= this.cap) {
      for (let index = 0; index < kept; index++) {
        this.applyUnit(offset, this.unitStart[index]!, sizeOf(index));
      }
      return;
    }
    this.takeShuffledUnits(offset, kept, this.cap);
  }

  /** Labels and corrupts the `size` tokens of the unit starting at `start`. */
  private applyUnit(offset: number, start: number, size: number): void {
    const { ids, outputIds, labels, actions } = this;
    const perWord = this.options.replacement === 'per-word';
    const pool = this.options.randomTokenPool;
    let action = perWord ? this.actionDraws.next() : 0;
    for (let position = start, end = start + size; position < end; position++) {
      if (!perWord) action = this.actionDraws.next();
      const index = offset + position;
      this.rowPositions[this.rowCount++] = position;
      labels[index] = ids[index]!;
      actions[index] = action;
      if (action === MASK_ACTION.mask) outputIds[index] = this.options.maskTokenId;
      else if (action === MASK_ACTION.random) {
        outputIds[index] = pool[drawBelow(this.random, pool.length)]!;
      }
    }
  }
}
