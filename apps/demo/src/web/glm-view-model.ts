import type { GlmTaskExplanation } from '../tasks/demo-task';
import { displayToken, joinWordPieces, type TokenChip } from './token-chip';

/** One Part B span, in the order the sample generates it. */
export interface GlmSpanRow {
  /** 1 for the span generated first. */
  readonly order: number;
  /** The blank's index in text order. */
  readonly blank: number;
  /** The span's place in the text (`[CLS]` = 0), end exclusive. */
  readonly start: number;
  readonly end: number;
  /** The span as text: its targets without the closing `[eop]`, word pieces joined. */
  readonly text: string;
  /** Part B's input for the span (`[sop]` and the span shifted right). */
  readonly input: readonly string[];
}

/** One column of the position table: an input token and its two position ids. */
export interface GlmPositionColumn {
  readonly token: string;
  readonly position: number;
  readonly blockPosition: number;
  readonly part: 'A' | 'B';
}

/** What the GLM view draws. */
export interface GlmViewModel {
  /** Part A with one mask chip per blank. */
  readonly partA: readonly TokenChip[];
  readonly spans: readonly GlmSpanRow[];
  readonly columns: readonly GlmPositionColumn[];
  /** The attention mask's size, its allowed pairs and Part A's length. */
  readonly attention: {
    readonly size: number;
    readonly allowed: number;
    readonly separator: number;
    /** $\mathrm{sep}\cdot n + (n-\mathrm{sep})(n-\mathrm{sep}+1)/2$: what the rule $j < \mathrm{sep} \lor j \le i$ allows. */
    readonly expectedAllowed: number;
  };
  readonly mode: string;
}

const MASK_TOKENS = new Set(['[MASK]', '[sMASK]', '[gMASK]']);

/**
 * Lays out an explained GLM sample: Part A's chips (mask tokens coloured and labelled with the
 * span they stand for and when it is generated), Part B's spans in the sampled permutation, the
 * two position rows as table columns, and counts of the attention mask.
 */
export function glmViewModel(explanation: GlmTaskExplanation): GlmViewModel {
  // The k-th mask token of Part A (in text order) stands for blank k.
  const orderOfBlank = new Map(explanation.partB.map((segment, order) => [segment.blank, order]));
  let blankIndex = 0;
  const partA = explanation.partA.map((token, index): TokenChip => {
    const text = displayToken(token);
    if (MASK_TOKENS.has(token)) {
      const blank = blankIndex;
      blankIndex += 1;
      const order = orderOfBlank.get(blank);
      const when = order === undefined ? 'not generated' : `generated ${ordinal(order + 1)}`;
      return {
        text,
        role: 'masked',
        description: `position ${index}: blank ${blank + 1}, ${when}`,
      };
    }
    if (index === 0 || /^\[[A-Za-z]+\]$/.test(token)) {
      return { text, role: 'special', description: `position ${index}: special token ${text}` };
    }
    return { text, role: 'untouched', description: `position ${index}: “${text}”` };
  });
  const spans = explanation.partB.map(
    (segment, order): GlmSpanRow => ({
      order: order + 1,
      blank: segment.blank,
      start: segment.start,
      end: segment.end,
      text: joinWordPieces(segment.targetTokens.filter((token) => token !== '[eop]')),
      input: segment.inputTokens.map(displayToken),
    }),
  );
  const separator = explanation.separator;
  const columns = explanation.tokens.map(
    (token, index): GlmPositionColumn => ({
      token: displayToken(token),
      position: explanation.positionIds[index] ?? 0,
      blockPosition: explanation.blockPositionIds[index] ?? 0,
      part: index < separator ? 'A' : 'B',
    }),
  );
  const size = explanation.attentionMask.length;
  const allowed = explanation.attentionMask.reduce(
    (total, row) => total + row.filter(Boolean).length,
    0,
  );
  const partBLength = size - separator;
  return {
    partA,
    spans,
    columns,
    attention: {
      size,
      allowed,
      separator,
      expectedAllowed: separator * size + (partBLength * (partBLength + 1)) / 2,
    },
    mode: explanation.mode,
  };
}

/** `1` → `'1st'`, `2` → `'2nd'`, `11` → `'11th'`. */
export function ordinal(value: number): string {
  const lastTwo = value % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${value}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][value % 10] ?? 'th';
  return `${value}${suffix}`;
}
