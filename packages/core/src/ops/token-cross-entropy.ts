import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { tidyResult } from '../internal/tidy-result';
import { checkTensor } from '../internal/validate';
import { isHiddenStateScores, type TokenScores } from '../spec/model-outputs';
import type { TokenLoss } from '../spec/token-loss';
import { crossEntropy } from './cross-entropy';
import type { TokenLossOptions } from './internal/token-loss-options';
import type { LabelsInput } from './internal/token-targets';
import { linear } from './linear';

/**
 * The token loss of whatever a model produced: logits go straight to {@link crossEntropy};
 * hidden states plus an output projection are projected first (with a tied `[V, H]` table
 * transposed explicitly, which keeps every product on wasm's fast path) and then scored.
 * Objectives call this so that they accept both kinds of outputs through one code path.
 *
 * @param scores `{ logits }` or `{ hiddenStates, projection }`.
 * @param labels int32 labels of the scores' leading shape.
 * @param options every {@link TokenLossOptions} member.
 */
export function tokenCrossEntropy(
  scores: TokenScores,
  labels: LabelsInput,
  options?: TokenLossOptions,
): TokenLoss {
  const functionName = 'tokenCrossEntropy';
  if (
    scores == null ||
    typeof scores !== 'object' ||
    !('logits' in scores || 'hiddenStates' in scores)
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'scores',
      expected: '{ logits } or { hiddenStates, projection: { weight, layout, bias? } }',
      received: scores,
      fix: 'wrap the model output: { logits } or { hiddenStates, projection }.',
    });
  }
  if (!isHiddenStateScores(scores)) return crossEntropy(scores.logits, labels, options);
  const { hiddenStates, projection } = scores;
  checkTensor({ functionName, argumentName: 'scores.projection.weight' }, projection?.weight, {
    dtypes: ['float32'],
    ranks: [2],
  });
  if (projection.layout !== 'hidden-by-vocab' && projection.layout !== 'vocab-by-hidden') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'scores.projection.layout',
      expected: "'hidden-by-vocab' ([H, V]) or 'vocab-by-hidden' ([V, H], tied embeddings)",
      received: projection.layout,
      fix: 'say how the projection weight is stored.',
    });
  }
  return tidyResult(() => {
    const kernel =
      projection.layout === 'vocab-by-hidden' ? tf.transpose(projection.weight) : projection.weight;
    const logits = linear(hiddenStates, kernel, projection.bias);
    return crossEntropy(logits, labels, options);
  });
}
