import type { BatchExplanation, ExplainedToken } from '@lm-objectives/trainer';
import type { BertTaskExplanation, ConditionalTaskExplanation } from './demo-task';

/** The BERT masker's actions on selected positions (core's `TokenAction` words). */
const SELECTED = ['masked', 'random', 'kept'] as const;

/** The first row's positions up to its padding, as the objective's `explainBatch` reported them. */
function realTokens(explanation: BatchExplanation): ExplainedToken[] {
  const row = explanation.rows[0];
  if (!row) throw new Error('explanationOfRow: the explained batch has no row.');
  return row.tokens.filter((token) => token.action !== 'padding');
}

/**
 * The BERT view's row, read from `@lm-objectives/bert`'s own `explainBatch` (through the trainer's
 * `explainBatch`): the input tokens, what the masker did to each (`masked` / `random` / `kept`, or
 * `none`), the original token of every selected position, the token types and the NSP label.
 */
export function bertExplanationOf(
  explanation: BatchExplanation,
  piece: (id: number) => string,
): BertTaskExplanation {
  const tokens = realTokens(explanation);
  return {
    kind: 'bert',
    tokens: tokens.map((token) => piece(token.inputId)),
    originalTokens: tokens.map((token) => piece(token.originalId ?? token.label ?? token.inputId)),
    actions: tokens.map((token) => SELECTED.find((action) => action === token.action) ?? 'none'),
    tokenTypeIds: tokens.map((token) => token.segment ?? 0),
    isNext: explanation.rows[0]!.facts['nextSentence'] === 'IsNext',
  };
}

/**
 * A conditional row (LoRA, prefix tuning, the causal LM), read from `@lm-objectives/lora`'s own
 * `explainBatch`: prompt or completion per token (the objective's action; the appended `[EOS]`
 * counts as completion), and the loss mask: 1 for a token the loss trains the model to produce.
 * The objective reports labels after the causal shift (position $t$ carries token $t + 1$), so
 * token $t$ is a target when position $t - 1$ has a label.
 */
export function conditionalExplanationOf(
  explanation: BatchExplanation,
  piece: (id: number) => string,
  virtualTokens = 0,
): ConditionalTaskExplanation {
  const tokens = realTokens(explanation);
  return {
    kind: 'conditional',
    tokens: tokens.map((token) => piece(token.inputId)),
    roles: tokens.map((token) => (token.action === 'prompt' ? 'prompt' : 'completion')),
    lossMask: tokens.map((_, index) => (index > 0 && tokens[index - 1]!.label !== null ? 1 : 0)),
    virtualTokens,
  };
}
