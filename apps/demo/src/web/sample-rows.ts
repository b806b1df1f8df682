import type { SamplePrediction } from '../tasks/demo-task';
import { displayToken } from './token-chip';

/** A space-separated token string made readable: WordPiece space markers dropped. */
export function readableTokens(text: string): string {
  return text
    .split(' ')
    .filter((token) => token.length > 0)
    .map(displayToken)
    .join(' ');
}

/** One masked position of a BERT sample: the label and the model's top guesses, best first. */
export interface MaskedPrediction {
  readonly expected: string;
  readonly guesses: readonly string[];
  /** Whether the best guess is the label. */
  readonly correct: boolean;
}

/** A BERT sample row: its input (targets in brackets) and a prediction per masked position. */
export interface MaskedPredictionRow {
  readonly input: string;
  readonly predictions: readonly MaskedPrediction[];
}

/**
 * Reads the BERT task's sample predictions: `output` holds, per masked position, the top guesses
 * (each decoded to text) joined by `/`, positions separated by two spaces; `expected` holds the
 * labels the same way. A single token decodes without inner spaces, so the position separator is
 * unambiguous; a guess that is itself `/` shows as a missing guess, never as a shifted position.
 */
export function maskedPredictionRow(sample: SamplePrediction): MaskedPredictionRow {
  const positions = (text: string) => text.split('  ').filter((part) => part.length > 0);
  const expected = positions(sample.expected);
  const outputs = positions(sample.output);
  const predictions = expected.map((label, index): MaskedPrediction => {
    const guesses = (outputs[index] ?? '').split('/').filter((guess) => guess.length > 0);
    return {
      expected: displayToken(label),
      guesses: guesses.map(displayToken),
      correct: guesses[0] === label,
    };
  });
  return { input: readableTokens(sample.input), predictions };
}

/** Any task's sample as three readable strings and whether the output equals the expectation. */
export interface SampleRow {
  readonly input: string;
  readonly output: string;
  readonly expected: string;
  readonly matches: boolean;
}

/** Makes a sample prediction readable (token strings without space markers). */
export function sampleRow(sample: SamplePrediction): SampleRow {
  return {
    input: readableTokens(sample.input),
    output: readableTokens(sample.output),
    expected: readableTokens(sample.expected),
    matches: sample.output.trim() === sample.expected.trim(),
  };
}
