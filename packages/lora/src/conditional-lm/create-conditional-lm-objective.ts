import { defineObjective, type LossObjectiveV1, type TokenScores } from '@lm-objectives/core';
import type { ConditionalExample } from './conditional-example';
import {
  CONDITIONAL_LM_BATCH_FIELDS,
  type ConditionalLmBatch,
  type ConditionalLmPartName,
} from './conditional-lm-batch';
import {
  CONDITIONAL_LM_OBJECTIVE_OPTION_KEYS,
  type ConditionalLmObjectiveOptions,
  resolveConditionalLmLossOptions,
  resolveConditionalLmOptions,
} from './conditional-lm-options';
import { createConditionalLmBatch } from './data/create-conditional-lm-batch';
import { explainConditionalLmBatch } from './data/explain-conditional-lm-batch';
import { conditionalLmLoss } from './loss/conditional-lm-loss';

/** The id under which the conditional objective registers. */
export const CONDITIONAL_LM_OBJECTIVE_ID = 'lora/conditional-lm';

/** The conditional objective: examples in, `ConditionalLmBatch` out; `TokenScores` to the loss. */
export type ConditionalLmObjective = LossObjectiveV1<
  ConditionalExample,
  ConditionalLmBatch,
  TokenScores,
  ConditionalLmPartName
>;

const FUNCTION_NAME = 'createConditionalLmObjective';
const LOSS_FUNCTION = `${CONDITIONAL_LM_OBJECTIVE_ID} computeLoss`;

/**
 * The conditional language-modelling objective of LoRA and prefix tuning: only the target is
 * scored,
 * $$\max_\Theta \sum_{(x,y)} \sum_{t=1}^{|y|} \log p_{\Phi_0 + \Delta\Phi(\Theta)}(y_t \mid x, y_{<t}).$$
 *
 * - Data side (`createConditionalLmBatch`): separately tokenized prompt and completion (or chat
 *   turns), EOS appended, labels −100 by position over the prompt and the padding, truncation
 *   that drops and counts examples left with nothing to score, optional packing with position
 *   restarts and `exampleIds`, strategies `completion-only` / `all` / `assistant` / `last`, and
 *   the flat `scoredPositions` / `scoredLabels` after the causal shift.
 * - Tensor side (`conditionalLmLoss`): the scored rows of `{ logits }` or
 *   `{ hiddenStates, projection }` (the fused path) through core's `tokenCrossEntropy`; the part
 *   `conditionalLm` with `sum` and `count`; `numItemsInBatch.conditionalLm` normalises over an
 *   accumulation window. Metrics: `accuracy` (logits only), `scoredTokens`, `droppedExamples`.
 * - `explainBatch`: every position as `prompt` / `completion` / `special` / `padding`, with the
 *   token it predicts.
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
  const resolved = resolveConditionalLmOptions(
    FUNCTION_NAME,
    options,
    CONDITIONAL_LM_OBJECTIVE_OPTION_KEYS,
  );
  const lossOptions = resolveConditionalLmLossOptions(FUNCTION_NAME, options);
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
    batchFields: CONDITIONAL_LM_BATCH_FIELDS,
    createBatch: (examples) => createConditionalLmBatch(examples, resolved),
    computeLoss: ({ outputs, batch, numItemsInBatch }) =>
      conditionalLmLoss(
        outputs,
        batch,
        { ...lossOptions, numItemsInBatch: numItemsInBatch?.['conditionalLm'] },
        LOSS_FUNCTION,
      ),
    explainBatch: explainConditionalLmBatch,
  });
}
