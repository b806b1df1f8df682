/**
 * Abbreviations whose period never ends a sentence when a capitalised word follows (titles, ranks,
 * `No.` before a number, month abbreviations before a date).
 */
export const DEFAULT_ABBREVIATIONS: readonly string[] = [
  'Mr',
  'Mrs',
  'Ms',
  'Messrs',
  'Dr',
  'St',
  'Jr',
  'Sr',
  'Gen',
  'Gov',
  'Sen',
  'Rep',
  'Reps',
  'Hon',
  'Lt',
  'Col',
  'Capt',
  'Cmdr',
  'Sgt',
  'Cpl',
  'Adm',
  'Maj',
  'Prof',
  'Rev',
  'Pres',
  'Supt',
  'No',
  'Nos',
  'vs',
  'Inc',
  'Co',
  'Corp',
  'Ltd',
  'Mt',
  'Ft',
  'Jan',
  'Feb',
  'Apr',
  'Aug',
  'Sept',
  'Oct',
  'Nov',
  'Dec',
  'i.e',
  'e.g',
  'cf',
  'Ph.D',
  'a.m',
  'p.m',
];

/**
 * Words that usually open a sentence: after a dotted acronym such as `U.S.` (which can end a
 * sentence or sit inside one), a period is taken as a sentence end only before one of these.
 */
export const DEFAULT_SENTENCE_STARTERS: readonly string[] = [
  'A',
  'After',
  'All',
  'An',
  'And',
  'As',
  'At',
  'But',
  'By',
  'For',
  'He',
  'Here',
  'How',
  'I',
  'If',
  'In',
  'It',
  'Its',
  "It's",
  'Let',
  'My',
  'No',
  'Now',
  'Of',
  'On',
  'Our',
  'She',
  'So',
  'That',
  'The',
  'Their',
  'There',
  'These',
  'They',
  'This',
  'Those',
  'To',
  'Today',
  'Tonight',
  'We',
  "We're",
  "We've",
  'What',
  'When',
  'Where',
  'Which',
  'While',
  'Who',
  'Why',
  'With',
  'Yet',
  'You',
];

/** Options of {@link splitSentences}. */
export interface SplitSentencesOptions {
  /** Words (without the final period) whose period does not end a sentence. Default {@link DEFAULT_ABBREVIATIONS}. */
  abbreviations?: readonly string[];
  /** Words before which a dotted acronym's period ends a sentence. Default {@link DEFAULT_SENTENCE_STARTERS}. */
  sentenceStarters?: readonly string[];
}

const CLOSERS = `"')]\u201d\u2019`;
const OPENERS = `"'([$\u201c\u2018`;

/**
 * Splits normalised text (single spaces, see `normalizeText`) into sentences, so that joining them
 * with single spaces gives the text back. A sentence ends at `.`, `!` or `?` (plus any closing
 * quotes or brackets) followed by a space and a capital letter, a digit or an opening quote —
 * except after
 *
 * - an abbreviation (`Mr. Speaker`, `No. 1`, `Dr. King`),
 * - a single capital letter (the initial in `George W. Bush`),
 * - a dotted acronym (`U.S.`, `D.C.`) unless the next word commonly opens a sentence
 *   (`…for the U.S. We must…` splits, `the U.S. Army` does not).
 *
 * A lower-case word after a period never starts a sentence. Colons and semicolons never end one.
 *
 * @example
 * splitSentences('Mr. Speaker, thank you. The U.S. Army is ready!') // ['Mr. Speaker, thank you.', 'The U.S. Army is ready!']
 */
export function splitSentences(text: string, options: SplitSentencesOptions = {}): string[] {
  const abbreviations = new Set(options.abbreviations ?? DEFAULT_ABBREVIATIONS);
  const starters = new Set(options.sentenceStarters ?? DEFAULT_SENTENCE_STARTERS);
  const sentences: string[] = [];
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const mark = text[index]!;
    if (mark !== '.' && mark !== '!' && mark !== '?') continue;
    let end = index + 1;
    while (end < text.length && (text[end] === mark || CLOSERS.includes(text[end]!))) end++;
    if (text[end] !== ' ') continue;
    const next = text[end + 1];
    if (next === undefined || !(/[\p{Lu}\p{N}]/u.test(next) || OPENERS.includes(next))) continue;
    if (mark === '.' && !periodEndsSentence(text, start, index, end + 1, abbreviations, starters)) {
      continue;
    }
    sentences.push(text.slice(start, end));
    start = end + 1;
    index = end;
  }
  if (start < text.length) sentences.push(text.slice(start));
  return sentences;
}

/** Whether the period at `period` ends a sentence, judging the word before it and the word at `nextStart`. */
function periodEndsSentence(
  text: string,
  sentenceStart: number,
  period: number,
  nextStart: number,
  abbreviations: ReadonlySet<string>,
  starters: ReadonlySet<string>,
): boolean {
  let wordStart = period;
  while (wordStart > sentenceStart && text[wordStart - 1] !== ' ') wordStart--;
  // The word before the period, without opening quotes or brackets: `(Mr` → `Mr`.
  const word = text.slice(wordStart, period).replace(/^[("'[\u201c\u2018]+/u, '');
  if (abbreviations.has(word)) return false;
  if (/^\p{Lu}$/u.test(word)) return false;
  if (/^(?:\p{L}\.)+\p{L}$/u.test(word)) {
    const nextWord = text
      .slice(nextStart)
      .split(' ', 1)[0]!
      .replace(/[^\p{L}']+$/u, '');
    return starters.has(nextWord);
  }
  return true;
}
