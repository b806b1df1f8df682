import type * as tf from '@tensorflow/tfjs-core';
import type { ProjectionLayout } from '../../contract/v1/model-outputs';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { ShapeMismatchError } from '../../errors/shape-mismatch-error';
import { checkTensor } from '../../validation/check-tensor';
import { formatShape } from '../../validation/format-shape';
import { isTensor } from '../../validation/is-tensor';

/** How the caller named the projection's parts (`'weight'`, or `'scores.projection.weight'`). */
export interface ProjectionArgumentNames {
  readonly weight: string;
  readonly layout: string;
  readonly bias: string;
}

/**
 * Checks an output projection against the hidden states it projects: a float32 rank-2 weight whose
 * hidden axis (by `layout`) is the hidden states' last axis, at least one output class, and an
 * optional float32 bias `[V]`.
 *
 * @returns $V$, the number of output classes.
 */
export function checkProjection(
  functionName: string,
  hidden: tf.Tensor,
  projection: { weight: tf.Tensor; layout: ProjectionLayout; bias: unknown },
  names: ProjectionArgumentNames,
): number {
  const { weight, layout, bias } = projection;
  const site = (argumentName: string) => ({ functionName, argumentName });
  checkTensor(site(names.weight), weight, { dtypes: ['float32'], ranks: [2] });
  const hiddenSize = hidden.shape[hidden.rank - 1]!;
  const [weightRows, weightColumns] = weight.shape as [number, number];
  const [weightHidden, vocabularySize] =
    layout === 'hidden-by-vocab' ? [weightRows, weightColumns] : [weightColumns, weightRows];
  if (weightHidden !== hiddenSize) {
    const otherLayout: ProjectionLayout =
      layout === 'hidden-by-vocab' ? 'vocab-by-hidden' : 'hidden-by-vocab';
    const otherFits = (layout === 'hidden-by-vocab' ? weightColumns : weightRows) === hiddenSize;
    throw new ShapeMismatchError({
      ...site(names.weight),
      expected:
        layout === 'hidden-by-vocab'
          ? `a weight of shape [${hiddenSize}, V] (layout 'hidden-by-vocab': its first axis is the hidden states' last axis; they are ${formatShape(hidden.shape)})`
          : `a weight of shape [V, ${hiddenSize}] (layout 'vocab-by-hidden': its last axis is the hidden states' last axis; they are ${formatShape(hidden.shape)})`,
      received: weight,
      fix: otherFits
        ? `this weight fits the other layout: pass ${names.layout} = '${otherLayout}'.`
        : 'pass the output projection of the model that produced these hidden states.',
    });
  }
  if (vocabularySize < 1) {
    throw new ShapeMismatchError({
      ...site(names.weight),
      expected: 'a vocabulary axis of size ≥ 1',
      received: weight,
      fix: 'pass a projection with at least one output class.',
    });
  }
  if (bias === undefined) return vocabularySize;
  if (!isTensor(bias)) {
    throw new InvalidArgumentError({
      ...site(names.bias),
      expected: `a float32 tensor of shape [${vocabularySize}] or undefined`,
      received: bias,
      fix: 'pass the output bias as a tensor, or leave it out.',
    });
  }
  checkTensor(site(names.bias), bias, { dtypes: ['float32'], ranks: [1] });
  if (bias.shape[0] !== vocabularySize) {
    throw new ShapeMismatchError({
      ...site(names.bias),
      expected: `a bias of shape [${vocabularySize}] (one per vocabulary entry of the weight)`,
      received: bias,
      fix: 'give one bias per output class.',
    });
  }
  return vocabularySize;
}
