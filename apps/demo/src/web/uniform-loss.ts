import type { ObjectiveName } from './protocol';

/**
 * The loss of a model that guesses uniformly, drawn as the chart's reference line: $\ln V$ per
 * token, plus $\ln 2$ for BERT, whose loss adds the two-way next-sentence cross-entropy
 * ($L = L_{\mathrm{mlm}} + L_{\mathrm{nsp}}$).
 */
export function uniformLoss(
  objective: ObjectiveName,
  vocabularySize: number,
): { readonly value: number; readonly label: string } {
  if (objective === 'bert') {
    return {
      value: Math.log(vocabularySize) + Math.log(2),
      label: 'uniform guessing (ln V + ln 2)',
    };
  }
  return { value: Math.log(vocabularySize), label: 'uniform guessing (ln V)' };
}
