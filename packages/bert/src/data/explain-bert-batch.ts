import {
  checkTokenIds,
  IGNORE_INDEX,
  type ObjectiveBatchExplanation,
  type RowExplanation,
  type TokenAction,
  type TokenExplanation,
} from '@lm-objectives/core';
import type { BertBatch } from '../bert-batch';
import { checkBertBatch } from '../internal/check-bert-batch';
import { MASK_ACTION } from './mask-action';
import { NEXT_SENTENCE_LABEL } from './next-sentence-label';

/** What the masker's action codes mean in core's `TokenAction` words. */
const SELECTED_ACTIONS: Readonly<Record<number, TokenAction>> = Object.freeze({
  [MASK_ACTION.masked]: 'masked',
  [MASK_ACTION.random]: 'random',
  [MASK_ACTION.kept]: 'kept',
});

const FUNCTION_NAME = 'explainBertBatch';

/**
 * A BERT batch position by position, in the terms every objective shares (core's
 * `ObjectiveBatchExplanation`), as plain data:
 *
 * - each position's `inputId`, its `label` (the original id, or `null` where it is not scored),
 *   `weight` (1 when scored, else 0) and `part` (`'maskedLm'` when scored);
 * - its `action`: `'masked'` (replaced by `[MASK]`), `'random'` (by a random token) or `'kept'` for
 *   the selected positions (all three scored, with `originalId`), else `'padding'`, `'special'`
 *   (one of `specialTokenIds`) or `'context'`;
 * - its `segment` (token type), `positions` ($[t]$) and `attention` (every real token attends to
 *   all real tokens; padding to none);
 * - per row, the facts `nextSentenceLabel` (1 = B is random), `nextSentence` (`'IsNext'` or
 *   `'NotNext'`) and `predictions` (scored positions of the row).
 *
 * @param batch a batch from `createBertBatch` (or the objective's `createBatch`).
 * @param options `specialTokenIds`: the ids reported as `'special'` when not selected (`[CLS]`,
 *   `[SEP]`, `[PAD]`, `[MASK]`, …).
 * @throws {InvalidArgumentError} for a batch without the BERT fields or bad special ids.
 */
export function explainBertBatch(
  batch: BertBatch,
  options: { readonly specialTokenIds: readonly number[] | Int32Array },
): ObjectiveBatchExplanation {
  checkBertBatch(FUNCTION_NAME, batch);
  const special = new Set(
    checkTokenIds(
      { functionName: FUNCTION_NAME, argumentName: 'options.specialTokenIds' },
      options?.specialTokenIds,
    ),
  );
  const { inputIds, labels, attentionMask, tokenTypeIds, nextSentenceLabels } = batch.fields;
  const length = batch.dimensions['sequence'] ?? 0;
  const rows: RowExplanation[] = [];
  for (let row = 0; row < batch.size; row++) {
    const tokens: TokenExplanation[] = [];
    let predictions = 0;
    for (let position = 0; position < length; position++) {
      const index = row * length + position;
      const inputId = inputIds.data[index]!;
      const label = labels.data[index]!;
      const segment = tokenTypeIds.data[index]!;
      const positions = [position];
      if (attentionMask.data[index] === 0) {
        tokens.push({
          inputId,
          label: null,
          weight: 0,
          action: 'padding',
          positions,
          segment,
          attention: 'none (padding)',
        });
        continue;
      }
      const selected = SELECTED_ACTIONS[batch.maskActions[index]!];
      const scored = label !== IGNORE_INDEX;
      if (scored) predictions++;
      tokens.push({
        inputId,
        label: scored ? label : null,
        weight: scored ? 1 : 0,
        ...(scored ? { part: 'maskedLm', originalId: label } : {}),
        action: selected ?? (special.has(inputId) ? 'special' : 'context'),
        positions,
        segment,
        attention: 'all real tokens',
      });
    }
    const nextSentenceLabel = nextSentenceLabels.data[row]!;
    rows.push({
      tokens,
      facts: {
        nextSentenceLabel,
        nextSentence: nextSentenceLabel === NEXT_SENTENCE_LABEL.notNext ? 'NotNext' : 'IsNext',
        predictions,
      },
    });
  }
  return { rows };
}
