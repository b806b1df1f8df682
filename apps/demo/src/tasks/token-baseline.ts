/**
 * What a model that ignores the context achieves on a task's held-out targets: the references
 * every trained model must beat.
 */
export interface TokenBaseline {
  /** $\ln V$: the loss of guessing uniformly. */
  readonly uniformLoss: number;
  /**
   * The unigram loss: the cross-entropy, on the held-out targets, of predicting every target by
   * its frequency among the training targets,
   * $-\frac1N \sum_i \ln \frac{c(y_i) + 1}{C + V}$ (add-one smoothing, so an unseen token costs
   * a finite amount).
   */
  readonly unigramLoss: number;
  /** The most frequent training target (among those the accuracy counts). */
  readonly mostFrequentTokenId: number;
  /**
   * The share of the held-out targets the accuracy counts that equal {@link mostFrequentTokenId}:
   * the accuracy of always guessing it.
   */
  readonly mostFrequentRate: number;
  /** Held-out targets scored (all of them, for the loss). */
  readonly targets: number;
}

/** What {@link tokenBaseline} needs. */
export interface TokenBaselineInput {
  /** How often each token id is a training target (length $V$). */
  readonly trainingCounts: Float64Array;
  /** The held-out targets (ignored positions already dropped). */
  readonly heldOutTargets: ArrayLike<number>;
  /** Targets the accuracy leaves out (GLM's `[eop]`); they still count for the unigram loss. */
  readonly excludedFromAccuracy?: readonly number[];
}

/** The unigram loss and the most-frequent-token rate of a task's held-out targets. */
export function tokenBaseline(input: TokenBaselineInput): TokenBaseline {
  const { trainingCounts, heldOutTargets } = input;
  const vocabularySize = trainingCounts.length;
  const excluded = new Set(input.excludedFromAccuracy ?? []);
  let total = 0;
  let mostFrequentTokenId = 0;
  for (let id = 0; id < vocabularySize; id++) {
    total += trainingCounts[id]!;
    if (excluded.has(id)) continue;
    if (
      excluded.has(mostFrequentTokenId) ||
      trainingCounts[id]! > trainingCounts[mostFrequentTokenId]!
    )
      mostFrequentTokenId = id;
  }
  let loss = 0;
  let counted = 0;
  let hits = 0;
  for (let index = 0; index < heldOutTargets.length; index++) {
    const id = heldOutTargets[index]!;
    loss -= Math.log((trainingCounts[id]! + 1) / (total + vocabularySize));
    if (excluded.has(id)) continue;
    counted += 1;
    if (id === mostFrequentTokenId) hits += 1;
  }
  return {
    uniformLoss: Math.log(vocabularySize),
    unigramLoss: loss / Math.max(heldOutTargets.length, 1),
    mostFrequentTokenId,
    mostFrequentRate: hits / Math.max(counted, 1),
    targets: heldOutTargets.length,
  };
}

/** The targets of a batch: its `labels` field without the ignored (negative) entries. */
export function batchTargets(batch: {
  readonly fields: { readonly labels: { readonly data: Int32Array } };
}): Int32Array {
  return batch.fields.labels.data.filter((label) => label >= 0);
}

/** Adds the targets of `batches` to `counts` (length $V$) and returns it. */
export function countTargets(
  batches: Iterable<{ readonly fields: { readonly labels: { readonly data: Int32Array } } }>,
  counts: Float64Array,
): Float64Array {
  for (const batch of batches) {
    for (const label of batch.fields.labels.data) if (label >= 0) counts[label]! += 1;
  }
  return counts;
}
