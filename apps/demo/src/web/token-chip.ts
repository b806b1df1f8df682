import type { TokenColorRole } from './palette';

/** One token as the views draw it: its text, its colour role and a sentence for screen readers. */
export interface TokenChip {
  readonly text: string;
  readonly role: TokenColorRole;
  /** What the colour means for this token, read by assistive technology and shown as a tooltip. */
  readonly description: string;
}

/** `[CLS]`, `[MASK]`, `[sop]`, …: a bracketed special token of the demo vocabulary. */
export function isSpecialToken(token: string): boolean {
  return /^\[[A-Za-z]+\]$/.test(token);
}

/**
 * The token as shown on a chip. The WordPiece space marker `▁` is dropped (chips are already
 * separated) while the continuation prefix `##` stays, so word pieces remain recognisable; a
 * lone space marker is shown as `␣`.
 */
export function displayToken(token: string): string {
  if (token === '▁') return '␣';
  return token.startsWith('▁') ? token.slice(1) : token;
}

/**
 * Joins WordPiece tokens back into text by the vocabulary's rules: `▁piece` starts a word after
 * a space, `##piece` continues a word, a bare piece is glued to the previous word (punctuation),
 * and special tokens stand apart. `['▁Un', '##der', '▁the', ',']` → `'Under the,'`.
 */
export function joinWordPieces(tokens: readonly string[]): string {
  let text = '';
  for (const token of tokens) {
    if (isSpecialToken(token)) text += ` ${token} `;
    else if (token.startsWith('▁')) text += ` ${token.slice(1)}`;
    else if (token.startsWith('##')) text += token.slice(2);
    else text += token;
  }
  return text.replace(/\s+/g, ' ').trim();
}
