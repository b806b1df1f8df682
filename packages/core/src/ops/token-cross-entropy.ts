import { isHiddenStateScores, type TokenScores } from '../contract/v1/model-outputs';
import type { TokenLoss } from '../contract/v1/token-loss';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { reattributeArgumentErrors } from '../errors/reattribute-error';
import { checkPositiveInteger } from '../validation/check-integer';
import { checkTensor } from '../validation/check-tensor';
import { crossEntropy } from './cross-entropy';
import type { TokenLossOptions } from './internal/token-loss-options';
import type { LabelsInput } from './internal/token-targets';
import {
  DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
  linearCrossEntropy,
} from './linear-cross-entropy';

/** Where the arguments checked by `crossEntropy` come from in `tokenCrossEntropy`'s own call. */
const LOGIT_ARGUMENTS = { logits: 'scores.logits' };

/** Where the arguments checked by `linearCrossEntropy` come from in `tokenCrossEntropy`'s own call. */
const HIDDEN_STATE_ARGUMENTS = {
  hidden: 'scores.hiddenStates',
  weight: 'scores.projection.weight',
  'options.bias': 'scores.projection.bias',
  'options.weightLayout': 'scores.projection.layout',
};

/**
 * The token loss of whatever a model produced: logits go straight to {@link crossEntropy};
 * hidden states plus an output projection go to the fused {@link linearCrossEntropy}, which
 * projects and scores a chunk of positions at a time and never builds the `[N, V]` logits (same
 * values as $\mathrm{crossEntropy}(hW + b)$; a tied `[V, H]` table is transposed explicitly, which
 * keeps every product on wasm's fast path).
 * Objectives call this so that they accept both kinds of outputs through one code path.
 *
 * @param scores `{ logits }` or `{ hiddenStates, projection }`.
 * @param labels int32 labels of the scores' leading shape.
 * @param options every {@link TokenLossOptions} member, plus `chunkSize`: positions scored at once
 *   on the fused path (see {@link linearCrossEntropy}); it has no effect on logits, but is
 *   validated there too.
 * @throws {InvalidArgumentError} for scores with both logits and hidden states, and every error
 *   of {@link crossEntropy} or {@link linearCrossEntropy}, named after this function's arguments.
 */
export function tokenCrossEntropy(
  scores: TokenScores,
  labels: LabelsInput,
  options?: TokenLossOptions & { chunkSize?: number },
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
  if ('logits' in scores && 'hiddenStates' in scores) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'scores',
      expected: 'either { logits } or { hiddenStates, projection }, not both',
      received: scores,
      receivedDescription: 'an object with both logits and hiddenStates',
      fix: 'pass one of them: the logits, or the hidden states with the output projection (the fused path, which never builds the logits).',
    });
  }
  if (!isHiddenStateScores(scores)) {
    const { logits } = scores;
    if (options == null || typeof options !== 'object' || !('chunkSize' in options)) {
      return reattributeArgumentErrors(functionName, LOGIT_ARGUMENTS, () =>
        crossEntropy(logits, labels, options),
      );
    }
    // chunkSize only concerns the fused path (crossEntropy rejects unknown options), but a bad
    // value is refused here too: it would fail the day the model hands over hidden states.
    const { chunkSize, ...tokenOptions } = options;
    checkPositiveInteger(
      { functionName, argumentName: 'options.chunkSize' },
      chunkSize,
      `pass a positive whole number of rows (default ${DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE}), or leave it out.`,
      DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
    );
    return reattributeArgumentErrors(functionName, LOGIT_ARGUMENTS, () =>
      crossEntropy(logits, labels, tokenOptions),
    );
  }
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
  return reattributeArgumentErrors(functionName, HIDDEN_STATE_ARGUMENTS, () =>
    linearCrossEntropy(hiddenStates, projection.weight, labels, {
      ...options,
      weightLayout: projection.layout,
      ...(projection.bias === undefined ? {} : { bias: projection.bias }),
    }),
  );
}
