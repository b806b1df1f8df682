import type * as tf from '@tensorflow/tfjs-core';
import type { RandomSource } from '../../random/random-source';
import type { ObjectiveBatchExplanation } from './batch-explanation';
import type { BatchFieldSpec } from './batch-field';
import type { ObjectiveBatchV1 } from './objective-batch';
import type { TokenLoss } from './token-loss';

/** What the data side receives besides the examples. */
export interface CreateBatchOptions {
  /** The only source of randomness the data side may use, so a seed fixes the batch everywhere. */
  readonly random: RandomSource;
}

/**
 * What the tensor side receives.
 *
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the model produced for that batch (logits, or hidden states plus the
 *   output projection, and whatever else the objective reads, e.g. a pooled vector for NSP).
 */
export interface ComputeLossInput<Batch, Outputs> {
  readonly outputs: Outputs;
  readonly batch: Batch;
  /**
   * Per part, the normaliser to use instead of this batch's count: the total count over a whole
   * gradient-accumulation window (the sum of each micro-batch's `batch.counts[part]`).
   */
  readonly numItemsInBatch?: Readonly<Record<string, number>>;
  /** Whether this is a training step (objectives with dropout in their own heads use it). Default `true`. */
  readonly training?: boolean;
}

/**
 * The tensor side's result. The caller owns every tensor (dispose them, or call inside `tf.tidy`).
 *
 * @typeParam PartName the names of the loss parts.
 */
export interface ObjectiveLossResult<PartName extends string = string> {
  /**
   * The scalar to minimise; for several parts, their sum (e.g. BERT's $L = L_1 + L_2$). An objective
   * whose parts are shares of one mean (GLM's modes: $\mathrm{loss}_m = \mathrm{sum}_m / \sum_{m'} N_{m'}$,
   * so that the total stays one mean over every scored token) divides each part's sum by that shared
   * normaliser instead of its own count, and says so in its documentation.
   */
  readonly loss: tf.Scalar;
  /** Each part as a token loss with its `sum` and `count`. */
  readonly parts: Readonly<Record<PartName, TokenLoss>>;
  /** Scalars to report but not to differentiate: accuracy, mask ratio, … */
  readonly metrics: Readonly<Record<string, tf.Scalar>>;
}

/**
 * The contract every lm-objectives training objective implements, version 1.
 *
 * An objective has two sides that can live apart:
 * - the **data side**, {@link LossObjectiveV1.createBatch}: tokenized examples in, a model-ready
 *   batch of typed arrays out (masking, corruption, pair building, label masks, positions). Pure and
 *   deterministic given the random source; no tensors, so it runs in a worker and can be visualised.
 * - the **tensor side**, {@link LossObjectiveV1.computeLoss}: the model's outputs and the batch in,
 *   `{ loss, parts, metrics }` out, where each part is a token loss
 *   $\mathrm{loss} = \mathrm{sum}/\mathrm{normaliser}$.
 *
 * Build one with `defineObjective`, which checks the declaration and fills in the version.
 *
 * @typeParam Example one tokenized training example, as the objective takes it.
 * @typeParam Batch the batch the data side makes.
 * @typeParam Outputs what the model hands to the tensor side.
 * @typeParam PartName the names of the loss parts.
 */
export interface LossObjectiveV1<
  Example = unknown,
  Batch extends ObjectiveBatchV1 = ObjectiveBatchV1,
  Outputs = unknown,
  PartName extends string = string,
> {
  /** The contract version, a literal, so that a resolver can accept or refuse the plugin. */
  readonly specificationVersion: 'v1';
  /** `'scope/name'` in lowercase kebab case, e.g. `'bert/mlm-nsp'`; unique in a registry. */
  readonly objectiveId: string;
  /** One sentence on what the objective trains. */
  readonly description: string;
  /** The names of the loss parts that `computeLoss` reports and `batch.counts` counts. */
  readonly partNames: readonly PartName[];
  /** The fields every batch carries, with their dtypes and named dimensions. */
  readonly batchFields: Readonly<Record<string, BatchFieldSpec>>;
  /** The data side: makes a batch from examples, drawing every random choice from `options.random`. */
  createBatch(examples: readonly Example[], options: CreateBatchOptions): Batch;
  /** The tensor side: differentiable loss, its parts and metrics. Call it inside `tf.grad`/`minimize`. */
  computeLoss(input: ComputeLossInput<Batch, Outputs>): ObjectiveLossResult<PartName>;
  /** Weights the objective owns and a training loop must optimise (e.g. BERT's heads); may be empty. */
  trainableWeights(): readonly tf.Variable[];
  /** Frees the objective's own weights. */
  dispose(): void;
  /**
   * Optional: the batch explained position by position (what the data side did, labels, weights,
   * positions, attention), as plain data for batch inspectors and visualisations. Pure, no tensors.
   */
  explainBatch?(batch: Batch): ObjectiveBatchExplanation;
}

/** The current contract. */
export type LossObjective<
  Example = unknown,
  Batch extends ObjectiveBatchV1 = ObjectiveBatchV1,
  Outputs = unknown,
  PartName extends string = string,
> = LossObjectiveV1<Example, Batch, Outputs, PartName>;
