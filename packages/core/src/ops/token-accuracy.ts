import * as tf from '@tensorflow/tfjs-core';
import {
  type HiddenStateScores,
  isHiddenStateScores,
  type TokenScores,
} from '../contract/v1/model-outputs';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { ArgumentSite } from '../validation/argument-site';
import { checkBoolean } from '../validation/check-boolean';
import { checkPositiveInteger } from '../validation/check-integer';
import { checkOneOf } from '../validation/check-one-of';
import { checkOptionKeys } from '../validation/check-option-keys';
import { checkTensor } from '../validation/check-tensor';
import { isTensor } from '../validation/is-tensor';
import { resolveIgnoreIndex } from '../validation/resolve-ignore-index';
import { tidyResult } from '../validation/tidy-result';
import { checkProjection } from './internal/check-projection';
import { countCorrectRows } from './internal/count-correct-rows';
import { type LabelsInput, tokenTargets } from './internal/token-targets';
import { DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE } from './linear-cross-entropy';

/** Token accuracy with its parts, so that it can be accumulated across batches. */
export interface TokenAccuracy {
  /** `correct / count` (0 when nothing is counted), a scalar. */
  accuracy: tf.Scalar;
  /** How many counted positions have their label as the arg-max logit, a scalar. */
  correct: tf.Scalar;
  /** How many positions are counted (label ≠ ignore index, after any shift), a scalar. */
  count: tf.Scalar;
}

/** Options of {@link tokenAccuracy}. */
export interface TokenAccuracyOptions {
  /** The label that marks a position not counted. Default −100. */
  ignoreIndex?: number;
  /** Score position $t$ against label $t + 1$ (next-token prediction). Default `false`. */
  shift?: boolean;
  /**
   * With hidden states: rows projected at once (at most `chunkSize · V` logits exist at a time).
   * Default 128, as `linearCrossEntropy`. Checked, and without effect, with logits.
   */
  chunkSize?: number;
}

const FUNCTION_NAME = 'tokenAccuracy';
const OPTION_KEYS = ['ignoreIndex', 'shift', 'chunkSize'];

/** The three results, from the correct count and the counted weights. */
function accuracyParts(correct: tf.Scalar, countedWeights: tf.Tensor1D): TokenAccuracy {
  const count = tf.sum(countedWeights) as tf.Scalar;
  const accuracy = tf.div(correct, tf.maximum(count, 1)) as tf.Scalar;
  return { accuracy, correct, count };
}

/** Exact zeros: the wasm backend's sum of an empty tensor is an arbitrary value. */
function emptyAccuracy(): TokenAccuracy {
  return { accuracy: tf.scalar(0), correct: tf.scalar(0), count: tf.scalar(0) };
}

/** Refuses scores that are neither a tensor, `{ logits }` nor `{ hiddenStates, projection }`. */
function checkScoresObject(scores: unknown): void {
  const object = scores !== null && typeof scores === 'object';
  const hasLogits = object && 'logits' in scores;
  const hasHidden = object && 'hiddenStates' in scores;
  if (hasLogits !== hasHidden) return;
  throw new InvalidArgumentError({
    functionName: FUNCTION_NAME,
    argumentName: 'scores',
    expected:
      'logits (a tensor or { logits }), or { hiddenStates, projection: { weight, layout, bias? } }',
    received: scores,
    receivedDescription: hasLogits ? 'an object with both logits and hiddenStates' : undefined,
    fix: 'pass the logits, or the hidden states with the output projection.',
  });
}

/** The accuracy of logits `[N, V]` or `[B, L, V]`. */
function logitAccuracy(
  site: ArgumentSite,
  logits: unknown,
  labels: LabelsInput,
  settings: { ignoreIndex: number; shift: boolean },
): TokenAccuracy {
  const checked = checkTensor(site, logits, { dtypes: ['float32'], ranks: [2, 3] });
  const vocabularySize = checked.shape[checked.rank - 1]!;
  const leadingShape = checked.shape.slice(0, -1);
  const positions = checked.size / vocabularySize;
  const targets = { functionName: FUNCTION_NAME, leadingShape, vocabularySize, ...settings };
  return tidyResult(() => {
    const { safeLabels, countedWeights } = tokenTargets(labels, undefined, {
      ...targets,
      validateLabels: true,
    });
    if (positions === 0) return emptyAccuracy();
    const predictions = tf.argMax(tf.reshape(checked, [positions, vocabularySize]), 1);
    const hits = tf.mul(tf.cast(tf.equal(predictions, safeLabels), 'float32'), countedWeights);
    return accuracyParts(tf.sum(hits) as tf.Scalar, countedWeights);
  });
}

/** The accuracy of hidden states `[N, H]` or `[B, L, H]` under an output projection, chunked. */
function hiddenStateAccuracy(
  scores: HiddenStateScores,
  labels: LabelsInput,
  settings: { ignoreIndex: number; shift: boolean; chunkSize: number },
): TokenAccuracy {
  const site = (argumentName: string) => ({ functionName: FUNCTION_NAME, argumentName });
  const hidden = checkTensor(site('scores.hiddenStates'), scores.hiddenStates, {
    dtypes: ['float32'],
    ranks: [2, 3],
  });
  const projection = scores.projection;
  const layout = checkOneOf(site('scores.projection.layout'), projection?.layout, [
    'hidden-by-vocab',
    'vocab-by-hidden',
  ] as const);
  const vocabularySize = checkProjection(
    FUNCTION_NAME,
    hidden,
    { weight: projection.weight, layout, bias: projection.bias },
    {
      weight: 'scores.projection.weight',
      layout: 'scores.projection.layout',
      bias: 'scores.projection.bias',
    },
  );
  const hiddenSize = hidden.shape[hidden.rank - 1]!;
  const leadingShape = hidden.shape.slice(0, -1);
  const positions = hidden.size / hiddenSize;
  const { ignoreIndex, shift, chunkSize } = settings;
  return tidyResult(() => {
    const { safeLabels, countedWeights } = tokenTargets(labels, undefined, {
      functionName: FUNCTION_NAME,
      leadingShape,
      vocabularySize,
      ignoreIndex,
      shift,
      validateLabels: true,
    });
    if (positions === 0) return emptyAccuracy();
    const rows = tf.reshape(hidden, [positions, hiddenSize]) as tf.Tensor2D;
    const correct = countCorrectRows({
      rows,
      projection: { ...projection, layout },
      safeLabels,
      countedWeights,
      chunkSize,
    });
    return accuracyParts(correct, countedWeights);
  });
}

/**
 * Fraction of counted positions whose highest logit is the label:
 * $\mathrm{accuracy} = \frac{1}{|T|}\sum_{t \in T} [\arg\max_v z_{t,v} = y_t]$ over $T = \{t : y_t \ne \mathrm{ignoreIndex}\}$.
 * Same label conventions as {@link crossEntropy} (`ignoreIndex`, `shift`). Not differentiable.
 *
 * Like `tokenCrossEntropy`, it takes whatever the model produced: logits (a tensor or
 * `{ logits }`), or `{ hiddenStates, projection }`, whose logits $z = hW + b$ are projected
 * `chunkSize` rows at a time and never exist whole. The hidden-state path runs off the gradient
 * tape (a metric computed inside `tf.grad` keeps no logits alive until the backward pass) and
 * gives the same counts as the logits $hW + b$ up to float32 rounding of near-ties.
 *
 * @param scores logits `[N, V]` or `[B, L, V]`, `{ logits }`, or `{ hiddenStates, projection }`.
 * @param labels int32 labels of the scores' leading shape.
 * @example
 * const { accuracy } = tokenAccuracy({ hiddenStates, projection: { weight: table, layout: 'vocab-by-hidden' } }, labels);
 */
export function tokenAccuracy(
  scores: tf.Tensor | TokenScores,
  labels: LabelsInput,
  options: TokenAccuracyOptions = {},
): TokenAccuracy {
  checkOptionKeys(FUNCTION_NAME, options, OPTION_KEYS);
  const site = (argumentName: string) => ({ functionName: FUNCTION_NAME, argumentName });
  const settings = {
    ignoreIndex: resolveIgnoreIndex(FUNCTION_NAME, options.ignoreIndex),
    shift: checkBoolean(site('options.shift'), options.shift, false),
    chunkSize: checkPositiveInteger(
      site('options.chunkSize'),
      options.chunkSize,
      `pass a positive whole number of rows (default ${DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE}), or leave it out.`,
      DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE,
    ),
  };
  if (isTensor(scores)) return logitAccuracy(site('logits'), scores, labels, settings);
  checkScoresObject(scores);
  if (!isHiddenStateScores(scores)) {
    return logitAccuracy(site('scores.logits'), scores.logits, labels, settings);
  }
  return hiddenStateAccuracy(scores, labels, settings);
}
