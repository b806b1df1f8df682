import {
  defineObjective,
  IGNORE_INDEX,
  isHiddenStateScores,
  type LossObjectiveV1,
  type TokenScores,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkNumber } from '../internal/validate';
import type { ConditionalExample } from './conditional-example';
import type { ConditionalLmBatch, ConditionalLmPartName } from './conditional-lm-batch';
import { type ConditionalLmOptions, resolveConditionalLmOptions } from './conditional-lm-options';
import { createConditionalLmBatch } from './create-conditional-lm-batch';

/** The id under which the conditional objective registers. */
export const CONDITIONAL_LM_OBJECTIVE_ID = 'lora/conditional-lm';

/** Options of {@link createConditionalLmObjective}: the data side's, plus loss extras. */
export interface ConditionalLmObjectiveOptions extends ConditionalLmOptions {
  /** Label smoothing $\varepsilon$ of the token loss. Default 0. */
  labelSmoothing?: number;
  /** z-loss weight $\lambda$ of the token loss. Default 0. */
  zLoss?: number;
}

/** The conditional objective: examples in, `ConditionalLmBatch` out; `TokenScores` to the loss. */
export type ConditionalLmObjective = LossObjectiveV1<
  ConditionalExample,
  ConditionalLmBatch,
  TokenScores,
  ConditionalLmPartName
>;

/**
 * The conditional language-modelling objective of LoRA and prefix tuning: only the target is
 * scored,
 * $$\max_\Theta \sum_{(x,y)} \sum_{t=1}^{|y|} \log p_{\Phi_0 + \Delta\Phi(\Theta)}(y_t \mid x, y_{<t}).$$
 *
 * - Data side: separately tokenized prompt and completion (or chat turns), EOS appended, labels
 *   −100 by position over the prompt and the padding, truncation that drops and counts examples
 *   left with nothing to score, optional packing with position restarts, strategies
 *   `completion-only` / `all` / `assistant` / `last`.
 * - Tensor side: the causal shift happens inside the loss (position $t$ predicts label $t+1$);
 *   `{ logits }` or `{ hiddenStates, projection }` (the fused path: all logits are never
 *   materialised by the objective) through core's `tokenCrossEntropy`; the part `conditionalLm`
 *   with `sum` and `count`; `numItemsInBatch.conditionalLm` normalises over an accumulation window.
 * - Metrics: `accuracy` (logits only), `scoredTokens`, `droppedExamples`.
 * - A batch whose examples were all dropped has `size` 0 and `counts.conditionalLm` 0; its loss is
 *   a constant 0 (never NaN), not connected to the model: skip the optimiser step for it.
 *
 * @example
 * const objective = createConditionalLmObjective({ eosTokenId: 2, maxLength: 256 });
 * const batch = objective.createBatch([{ prompt: [5, 9, 4], completion: [7, 8] }], { random: createRng(0) });
 * const { loss } = objective.computeLoss({ outputs: { logits }, batch });
 */
export function createConditionalLmObjective(
  options: ConditionalLmObjectiveOptions,
): ConditionalLmObjective {
  const functionName = 'createConditionalLmObjective';
  const resolved = resolveConditionalLmOptions(functionName, options, ['labelSmoothing', 'zLoss']);
  const site = (name: string) => ({ functionName, argumentName: `options.${name}` });
  const labelSmoothing =
    options.labelSmoothing === undefined
      ? 0
      : checkNumber(
          site('labelSmoothing'),
          options.labelSmoothing,
          { min: 0, max: 1 },
          'pass ε in [0, 1].',
        );
  const zLoss =
    options.zLoss === undefined
      ? 0
      : checkNumber(site('zLoss'), options.zLoss, { min: 0 }, 'pass λ ≥ 0 (PaLM used 1e-4).');
  return defineObjective<
    ConditionalExample,
    ConditionalLmBatch,
    TokenScores,
    ConditionalLmPartName
  >({
    objectiveId: CONDITIONAL_LM_OBJECTIVE_ID,
    description:
      'Conditional language modelling: next-token loss on the completion only, given the prompt.',
    partNames: ['conditionalLm'],
    batchFields: {
      inputIds: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: `token ids: prompt, completion, EOS; right-padded with ${resolved.padTokenId}`,
      },
      labels: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: `ids at scored positions, ${IGNORE_INDEX} elsewhere (aligned with the inputs; the loss shifts)`,
      },
      attentionMask: {
        dtype: 'bool',
        dimensions: ['batch', 'sequence'],
        description: '1 for a real token, 0 for padding',
      },
      positionIds: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: 'position within the example (restarts at 0 for each packed example)',
      },
      segmentIds: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description:
          'which example of the row (1, 2, …), 0 at padding: attend within a segment only',
      },
    },
    createBatch: (examples) => createConditionalLmBatch(examples, resolved),
    computeLoss({ outputs, batch, numItemsInBatch }) {
      if (batch.size === 0) {
        // Every example was dropped: nothing to score. Zero-size tensors are avoided altogether
        // (some backends return garbage for reductions over them); skip such a step.
        const zero = () => tf.scalar(0);
        const loss = zero();
        return {
          loss,
          parts: { conditionalLm: { loss, sum: zero(), count: zero() } },
          metrics: { scoredTokens: zero(), droppedExamples: tf.scalar(batch.dropped) },
        };
      }
      const labels = batch.fields.labels.data;
      const normaliser = numItemsInBatch?.['conditionalLm'];
      const conditionalLm = tokenCrossEntropy(outputs, labels, {
        shift: true,
        labelSmoothing,
        zLoss,
        ...(normaliser === undefined ? {} : { numItemsInBatch: normaliser }),
      });
      const metrics: Record<string, tf.Scalar> = {
        scoredTokens: tf.clone(conditionalLm.count),
        droppedExamples: tf.scalar(batch.dropped),
      };
      if (!isHiddenStateScores(outputs)) {
        const { accuracy, correct, count } = tokenAccuracy(outputs.logits, labels, { shift: true });
        tf.dispose([correct, count]);
        metrics['accuracy'] = accuracy;
      }
      return { loss: conditionalLm.loss, parts: { conditionalLm }, metrics };
    },
  });
}
