import type { BertTaskExplanation } from '../tasks/demo-task';
import { displayToken, isSpecialToken, type TokenChip } from './token-chip';

/** A BERT token chip with its segment (0: `[CLS]` A `[SEP]`, 1: B `[SEP]`). */
export interface BertChip extends TokenChip {
  readonly segment: number;
}

/** What the BERT view draws. */
export interface BertViewModel {
  readonly chips: readonly BertChip[];
  /** Positions per masker action; `masked + random + kept` is the number of MLM targets. */
  readonly counts: {
    readonly masked: number;
    readonly random: number;
    readonly kept: number;
    readonly untouched: number;
  };
  /** `'IsNext'` or `'NotNext'`. */
  readonly nextSentenceLabel: 'IsNext' | 'NotNext';
  /** What the NSP label means, shown after the label's badge. */
  readonly nextSentenceText: string;
}

/**
 * Colours each position of an explained BERT row by what the masker did (the 80/10/10 rule:
 * `[MASK]`, a random token, or the original kept), leaving unselected text and the special
 * tokens `[CLS]`/`[SEP]` apart, and states the next-sentence label.
 */
export function bertViewModel(explanation: BertTaskExplanation): BertViewModel {
  const counts = { masked: 0, random: 0, kept: 0, untouched: 0 };
  const chips = explanation.tokens.map((token, index): BertChip => {
    const action = explanation.actions[index] ?? 'none';
    const original = displayToken(explanation.originalTokens[index] ?? token);
    const segment = explanation.tokenTypeIds[index] ?? 0;
    const text = displayToken(token);
    const where = `position ${index}`;
    if (action === 'masked') {
      counts.masked += 1;
      return { text, segment, role: 'masked', description: `${where}: masked, was “${original}”` };
    }
    if (action === 'random') {
      counts.random += 1;
      return {
        text,
        segment,
        role: 'random',
        description: `${where}: random token “${text}”, was “${original}”`,
      };
    }
    if (action === 'kept') {
      counts.kept += 1;
      return { text, segment, role: 'kept', description: `${where}: selected and kept “${text}”` };
    }
    if (isSpecialToken(token)) {
      return { text, segment, role: 'special', description: `${where}: special token ${text}` };
    }
    counts.untouched += 1;
    return { text, segment, role: 'untouched', description: `${where}: untouched “${text}”` };
  });
  return {
    chips,
    counts,
    nextSentenceLabel: explanation.isNext ? 'IsNext' : 'NotNext',
    nextSentenceText: explanation.isNext
      ? '(class 0): sentence B follows sentence A in the address.'
      : '(class 1): sentence B was drawn from another address.',
  };
}
