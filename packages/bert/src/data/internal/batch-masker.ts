import { IGNORE_INDEX, type RandomSource } from '@lm-objectives/core';
import { MASK_ACTION } from '../mask-action';
import type { MaskedLmResult } from '../masked-lm-masker';
import type { ResolvedMaskedLmMaskerOptions } from '../masked-lm-masker-options';
import { maskedLmSelectionCount } from '../masked-lm-selection-count';
import { MaskActionDraws } from './mask-action-draws';
import type { MaskerScratch, MaskerTables } from './masker-tables';
import { drawBelow, GeometricGaps, PackedShuffleOffsets } from './random-draws';

/**
 * The state of one `mask` call. A class, so that the hot loops see one fixed object shape. Rows are
 * independent; each one goes through: grouping its selectable positions into units (words or single
 * tokens), selecting units by the policy, drawing the 80/10/10 action of each selected unit (or
 * sub-token) and recording its positions.
 */
export class BatchMasker {
  private readonly batchSize: number;
  private readonly length: number;
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
    /** The validated copy of the input ids: read by row before the row is corrupted in place. */
    private readonly ids: Int32Array,
    shape: [number, number],
    private readonly wordIds: Int32Array | undefined,
    private readonly attention: Int32Array | Uint8Array | undefined,
    private readonly random: RandomSource,
  ) {
    [this.batchSize, this.length] = shape;
    const { selection, selectionRatio, maxPredictions } = options;
    const length = this.length;
    // Exact policies never select more than this many positions of a row of length L.
    const exactWidth =
      maxPredictions ??
      Math.max(
        1,
        Math.ceil(length * selectionRatio),
        maskedLmSelectionCount(selection, length, selectionRatio, length),
      );
    this.cap =
      selection === 'bernoulli' ? (maxPredictions ?? Number.POSITIVE_INFINITY) : exactWidth;
    this.labels = new Int32Array(ids.length).fill(IGNORE_INDEX);
    this.actions = new Uint8Array(ids.length);
    this.unitStart = new Int32Array(length);
    this.unitSize = new Int32Array(length);
    this.rowPositions = new Int32Array(length);
    this.actionDraws = new MaskActionDraws(
      random,
      options.maskTokenProbability,
      options.randomTokenProbability,
    );
    this.wholeWords = wordIds !== undefined || tables.continuation !== undefined;
    this.shuffleOffsets = new PackedShuffleOffsets(random);
    this.gaps =
      selection === 'bernoulli' && selectionRatio > 0 && selectionRatio < 1
        ? new GeometricGaps(random, selectionRatio)
        : undefined;
  }

  /** Masks every row and lays out the dense, gathered and flat forms. */
  run(scratch: MaskerScratch): MaskedLmResult {
    const { batchSize, length, labels, rowPositions } = this;
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
    const scoredPositions = new Int32Array(totalPredictions);
    const scoredLabels = new Int32Array(totalPredictions);
    let scored = 0;
    for (let row = 0; row < batchSize; row++) {
      const offset = row * length;
      const count = predictionCounts[row]!;
      for (let index = 0; index < count; index++) {
        const position = positions[row * stride + index]!;
        // The row is corrupted in place: its originals are the labels now.
        const original = labels[offset + position]!;
        maskedPositions[row * width + index] = position;
        maskedIds[row * width + index] = original;
        maskedWeights[row * width + index] = 1;
        scoredPositions[scored] = offset + position;
        scoredLabels[scored] = original;
        scored++;
      }
    }
    return {
      shape: [batchSize, length],
      maxPredictions: width,
      inputIds: this.ids,
      labels,
      actions: this.actions,
      maskedPositions,
      maskedIds,
      maskedWeights,
      scoredPositions,
      scoredLabels,
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
    const { selection, selectionRatio } = this.options;
    if (selection === 'bernoulli') {
      this.selectBernoulli(offset, units);
      return;
    }
    const tokenCount = selection === 'exact-round' ? this.rowRealTokens : this.rowSelectableTokens;
    const budget = maskedLmSelectionCount(selection, tokenCount, selectionRatio, this.cap);
    this.takeShuffledUnits(offset, units, budget);
  }

  /**
   * Lists the row's selectable positions as one-token units, and counts its real (non-padding)
   * and selectable tokens. The common case, kept apart from {@link collectWords} for speed.
   */
  private collectTokens(offset: number): void {
    const { ids, attention, unitStart } = this;
    const unselectable = this.tables.unselectable;
    const padTokenId = this.options.padTokenId ?? -1;
    const length = this.length;
    let units = 0;
    let realTokens = 0;
    for (let position = 0; position < length; position++) {
      const id = ids[offset + position]!;
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
    const rate = this.options.selectionRatio;
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
    const { ids, labels, actions } = this;
    const perWord = this.options.replacement === 'per-word';
    const pool = this.options.randomTokenPool;
    let action = perWord ? this.actionDraws.next() : 0;
    for (let position = start, end = start + size; position < end; position++) {
      if (!perWord) action = this.actionDraws.next();
      const index = offset + position;
      this.rowPositions[this.rowCount++] = position;
      labels[index] = ids[index]!;
      actions[index] = action;
      if (action === MASK_ACTION.masked) ids[index] = this.options.maskTokenId;
      else if (action === MASK_ACTION.random) {
        ids[index] = pool[drawBelow(this.random, pool.length)]!;
      }
    }
  }
}
