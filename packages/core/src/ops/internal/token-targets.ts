import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { ShapeMismatchError } from '../../errors/shape-mismatch-error';
import { checkTensor } from '../../validation/check-tensor';
import { formatShape, sameShape } from '../../validation/format-shape';
import { isTensor } from '../../validation/is-tensor';
import { shiftLeft } from '../causal-shift';
import { readsAreSynchronous } from './synchronous-backend';

/** Labels as a tensor or as plain integers (row-major, the leading shape of the logits). */
export type LabelsInput = tf.Tensor | Int32Array | readonly number[];

/** Per-position weights as a tensor or as plain numbers (row-major, the labels' shape). */
export type WeightsInput = tf.Tensor | Float32Array | readonly number[];

/** What the scoring functions need, for one flat run of `positions` rows. */
export interface TokenTargets {
  /** `[positions]` int32: the (shifted) label of each row, 0 where the row is not counted. */
  safeLabels: tf.Tensor1D;
  /** `[positions]` float32: $w_t$ where row $t$ is counted, 0 elsewhere. */
  countedWeights: tf.Tensor1D;
}

/** What {@link tokenTargets} needs besides the labels and weights. */
export interface TokenTargetSettings {
  functionName: string;
  /** Shape of the labels: the logits' (or hidden states') shape without the last axis. */
  leadingShape: readonly number[];
  vocabularySize: number;
  ignoreIndex: number;
  shift: boolean;
  validateLabels: boolean;
}

function describeIndex(flatIndex: number, shape: readonly number[]): string {
  const index: number[] = [];
  let rest = flatIndex;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    index.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return `[${index.join(', ')}]`;
}

function checkLabelValues(values: ArrayLike<number>, settings: TokenTargetSettings): void {
  const { vocabularySize, ignoreIndex } = settings;
  for (let index = 0; index < values.length; index++) {
    const label = values[index]!;
    if (label === ignoreIndex) continue;
    if (!(Number.isInteger(label) && label >= 0 && label < vocabularySize)) {
      throw new InvalidArgumentError({
        functionName: settings.functionName,
        argumentName: `labels${describeIndex(index, settings.leadingShape)}`,
        expected: `an integer class id in [0, ${vocabularySize}) or the ignore index ${ignoreIndex}`,
        received: label,
        fix:
          label === -100 || label === -1
            ? `this looks like an ignore marker: pass options.ignoreIndex = ${label}, or relabel it to ${ignoreIndex}.`
            : `check the tokenizer's vocabulary size against the model's (${vocabularySize}), or mark the position ignored with ${ignoreIndex}.`,
      });
    }
  }
}

function checkWeightValues(
  functionName: string,
  values: ArrayLike<number>,
  shape: readonly number[],
): void {
  for (let index = 0; index < values.length; index++) {
    const weight = values[index]!;
    if (!(weight >= 0 && Number.isFinite(weight))) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `options.weights${describeIndex(index, shape)}`,
        expected: 'a finite, non-negative weight',
        received: weight,
        fix: 'use weights ≥ 0 (0 removes a position from both the sum and the count).',
      });
    }
  }
}

function size(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}

/** Validates labels (shape, dtype, values) and returns them as an int32 tensor of `leadingShape`. */
function labelsTensor(labels: LabelsInput, settings: TokenTargetSettings): tf.Tensor {
  const { functionName, leadingShape } = settings;
  const site = { functionName, argumentName: 'labels' };
  if (isTensor(labels)) {
    checkTensor(site, labels, { dtypes: ['int32'] });
    if (!sameShape(labels.shape, leadingShape)) {
      throw new ShapeMismatchError({
        ...site,
        expected: `an int32 tensor of shape ${formatShape(leadingShape)} (the logits' shape without the vocabulary axis)`,
        received: labels,
        fix: 'give one label per position, aligned with the inputs (use options.shift for next-token prediction instead of pre-shifting).',
      });
    }
    if (settings.validateLabels && readsAreSynchronous()) {
      checkLabelValues(labels.dataSync(), settings);
    }
    return labels;
  }
  if (!(labels instanceof Int32Array || Array.isArray(labels))) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an int32 tensor, an Int32Array or an array of integers',
      received: labels,
      fix: 'pass the label ids, e.g. tf.tensor(ids, shape, "int32").',
    });
  }
  if (labels.length !== size(leadingShape)) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${size(leadingShape)} labels (shape ${formatShape(leadingShape)}, row-major)`,
      received: labels,
      fix: 'give one label per position of the logits.',
    });
  }
  if (settings.validateLabels) checkLabelValues(labels, settings);
  return tf.tensor(labels as ArrayLike<number> as number[], [...leadingShape], 'int32');
}

function weightsTensor(weights: WeightsInput, settings: TokenTargetSettings): tf.Tensor {
  const { functionName, leadingShape } = settings;
  const site = { functionName, argumentName: 'options.weights' };
  if (isTensor(weights)) {
    checkTensor(site, weights, { dtypes: ['float32'] });
    if (!sameShape(weights.shape, leadingShape)) {
      throw new ShapeMismatchError({
        ...site,
        expected: `a float32 tensor of shape ${formatShape(leadingShape)} (one weight per label)`,
        received: weights,
        fix: 'give one weight per label position.',
      });
    }
    if (settings.validateLabels && readsAreSynchronous()) {
      checkWeightValues(functionName, weights.dataSync(), leadingShape);
    }
    return weights;
  }
  if (
    !(weights instanceof Float32Array || Array.isArray(weights)) ||
    weights.length !== size(leadingShape)
  ) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${size(leadingShape)} weights (shape ${formatShape(leadingShape)}, row-major)`,
      received: weights,
      fix: 'give one weight per label position, as a Float32Array, an array or a float32 tensor.',
    });
  }
  checkWeightValues(functionName, weights, leadingShape);
  return tf.tensor(weights as ArrayLike<number> as number[], [...leadingShape], 'float32');
}

/** The {@link TokenTargetSettings} of a loss call, from its resolved options. */
export function tokenTargetSettings(
  functionName: string,
  leadingShape: readonly number[],
  vocabularySize: number,
  options: Pick<TokenTargetSettings, 'ignoreIndex' | 'shift' | 'validateLabels'>,
): TokenTargetSettings {
  const { ignoreIndex, shift, validateLabels } = options;
  return { functionName, leadingShape, vocabularySize, ignoreIndex, shift, validateLabels };
}

/** Whether {@link labelsTensor} read and range-checked the label values. */
function labelValuesChecked(labels: LabelsInput, settings: TokenTargetSettings): boolean {
  return settings.validateLabels && (!isTensor(labels) || readsAreSynchronous());
}

/**
 * Builds the flat targets of a token loss from labels, optional weights and the shift setting.
 * Call inside a `tf.tidy`: the intermediates are left to it.
 *
 * Labels that were not range-checked (`validateLabels: false`, or a label tensor on an
 * asynchronous backend) are made safe on the device instead: a counted label outside $[0, V)$
 * reads class 0 and gets the weight NaN, so that the loss, `sum`, `count` and the gradients are
 * NaN (a training loop's non-finite guard refuses the step) — never a tfjs `GatherV2` error or a
 * read outside the logits.
 */
export function tokenTargets(
  labels: LabelsInput,
  weights: WeightsInput | undefined,
  settings: TokenTargetSettings,
): TokenTargets {
  const positions = size(settings.leadingShape);
  let labelValues = labelsTensor(labels, settings);
  let weightValues = weights === undefined ? undefined : weightsTensor(weights, settings);
  if (settings.shift) {
    labelValues = shiftLeft(labelValues, settings.ignoreIndex);
    if (weightValues) weightValues = shiftLeft(weightValues, 0);
  }
  const flatLabels = tf.reshape(labelValues, [positions]);
  const counted = tf.notEqual(flatLabels, tf.scalar(settings.ignoreIndex, 'int32'));
  const zeros = tf.zeros([positions]);
  let countedWeights = weightValues
    ? (tf.where(counted, tf.reshape(weightValues, [positions]), zeros) as tf.Tensor1D)
    : (tf.cast(counted, 'float32') as tf.Tensor1D);
  if (labelValuesChecked(labels, settings)) {
    const safeLabels = tf.where(counted, flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D;
    return { safeLabels, countedWeights };
  }
  const inRange = tf.logicalAnd(
    tf.greaterEqual(flatLabels, tf.scalar(0, 'int32')),
    tf.less(flatLabels, tf.scalar(settings.vocabularySize, 'int32')),
  );
  const readable = tf.logicalAnd(counted, inRange);
  const safeLabels = tf.where(readable, flatLabels, tf.zerosLike(flatLabels)) as tf.Tensor1D;
  const outOfRange = tf.logicalAnd(counted, tf.logicalNot(inRange));
  countedWeights = tf.where(outOfRange, tf.fill([positions], Number.NaN), countedWeights);
  return { safeLabels, countedWeights };
}
