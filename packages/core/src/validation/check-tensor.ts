import type * as tf from '@tensorflow/tfjs-core';
import { describeValue, withArticle } from '../errors/describe-value';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import type { ArgumentSite } from './argument-site';
import { bindDimension, type DimensionSizes, dimensionSource } from './dimension-sizes';
import { formatShape } from './format-shape';
import { isTensor } from './is-tensor';

/**
 * A tensor's expected shape, one entry per axis: a number is an exact size, a string a named size
 * (`['batch', 'sequence', 'vocabulary']`) bound through a {@link DimensionSizes} record.
 */
export type ShapeSpec = readonly (number | string)[];

/** What {@link checkTensor} requires. */
export interface TensorRequirements {
  /** Accepted dtypes; the first is the one the fix suggests casting to. */
  dtypes: readonly tf.DataType[];
  /** Accepted ranks (ignored when `shape` is given: its length is the rank). */
  ranks?: readonly number[];
  /** The expected shape, with named or fixed dimensions. */
  shape?: ShapeSpec;
  /**
   * Sizes of named dimensions shared between the checks of one call: a name already bound must
   * match, a new one is bound to this tensor's size (and remembered as coming from this argument).
   */
  dimensions?: DimensionSizes;
}

/** `[batch=2, sequence, 3000]`: named sizes with their value where one is known. */
function describeShapeSpec(shape: ShapeSpec, known: ReadonlyMap<string, number>): string {
  const axes = shape.map((entry) => {
    if (typeof entry === 'number') return String(entry);
    const size = known.get(entry);
    return size === undefined ? entry : `${entry}=${size}`;
  });
  return `[${axes.join(', ')}]`;
}

/** The sizes already known for the names of `shape`: from `dimensions`, before this tensor binds any. */
function knownSizes(shape: ShapeSpec, dimensions: DimensionSizes | undefined): Map<string, number> {
  const known = new Map<string, number>();
  for (const entry of shape) {
    if (typeof entry === 'string' && dimensions && typeof dimensions[entry] === 'number') {
      known.set(entry, dimensions[entry]);
    }
  }
  return known;
}

/** Why axis `axis` (of size `size`) does not fit, or `undefined` when it does; binds new names in `known`. */
function axisProblem(
  shape: ShapeSpec,
  axis: number,
  size: number,
  known: Map<string, number>,
  firstAxis: Map<string, number>,
  dimensions: DimensionSizes | undefined,
): { reason: string; fix: string } | undefined {
  const entry = shape[axis]!;
  if (typeof entry === 'number') {
    if (size === entry) return undefined;
    return {
      reason: `axis ${axis} is ${size}, not ${entry}`,
      fix: `make axis ${axis} of size ${entry}.`,
    };
  }
  const expected = known.get(entry);
  if (expected === undefined) {
    known.set(entry, size);
    firstAxis.set(entry, axis);
    return undefined;
  }
  if (expected === size) return undefined;
  const sameTensorAxis = firstAxis.get(entry);
  if (sameTensorAxis !== undefined) {
    return {
      reason: `'${entry}' is ${expected} on axis ${sameTensorAxis} but ${size} on axis ${axis}`,
      fix: `axes ${sameTensorAxis} and ${axis} must have the same size ('${entry}').`,
    };
  }
  const source = dimensions ? dimensionSource(dimensions, entry) : undefined;
  if (source === undefined) {
    return {
      reason: `'${entry}' must be ${expected} but is ${size} here`,
      fix: `give axis ${axis} ('${entry}') the size ${expected}.`,
    };
  }
  return {
    reason: `'${entry}' is ${expected} in ${source} but ${size} here`,
    fix: `give axis ${axis} ('${entry}') the size ${expected} it has in ${source}: both must come from the same model and batch.`,
  };
}

/** Checks the sizes against `shape` and, when they fit, binds the new names in `dimensions`. */
function checkSizes(
  site: ArgumentSite,
  tensor: tf.Tensor,
  shape: ShapeSpec,
  dimensions: DimensionSizes | undefined,
  noun: string,
): void {
  const known = knownSizes(shape, dimensions);
  const firstAxis = new Map<string, number>();
  for (let axis = 0; axis < shape.length; axis++) {
    const problem = axisProblem(shape, axis, tensor.shape[axis]!, known, firstAxis, dimensions);
    if (!problem) continue;
    throw new ShapeMismatchError({
      ...site,
      expected: `${withArticle(tensor.dtype)} ${noun} of shape ${describeShapeSpec(shape, known)}`,
      received: tensor,
      receivedDescription: `${describeValue(tensor)}: ${problem.reason}`,
      fix: problem.fix,
    });
  }
  if (!dimensions) return;
  for (const [name, axis] of firstAxis) {
    bindDimension(dimensions, name, tensor.shape[axis]!, site.argumentName);
  }
}

/**
 * {@link checkTensor} for a value described as `noun` (`'tensor'`, `'tf.Variable'`), after the
 * caller checked what makes it one.
 */
export function checkTensorRequirements(
  site: ArgumentSite,
  value: unknown,
  requirements: TensorRequirements,
  noun: string,
): tf.Tensor {
  const { dtypes, shape, dimensions } = requirements;
  const ranks = shape ? [shape.length] : requirements.ranks;
  const kind = `${withArticle(dtypes.join(' or '))} ${noun}`;
  const expected = shape
    ? `${kind} of shape ${describeShapeSpec(shape, knownSizes(shape, dimensions))}`
    : `${kind}${ranks ? ` of rank ${ranks.join(' or ')}` : ''}`;
  if (!isTensor(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      fix: `pass a tensor, e.g. tf.tensor(values, shape, '${dtypes[0]}').`,
    });
  }
  if (value.isDisposed) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      receivedDescription: `a disposed tensor of shape ${formatShape(value.shape)}`,
      fix: 'keep the tensor alive until the call returns (do not dispose it, or create it inside the same tf.tidy).',
    });
  }
  if (!dtypes.includes(value.dtype)) {
    throw new InvalidArgumentError({
      ...site,
      expected,
      received: value,
      fix: `convert it first, e.g. tf.cast(${site.argumentName.split('.').pop()}, '${dtypes[0]}').`,
    });
  }
  if (ranks && !ranks.includes(value.rank)) {
    throw new ShapeMismatchError({
      ...site,
      expected,
      received: value,
      fix: `reshape it to rank ${ranks.join(' or ')}${shape ? ` (${describeShapeSpec(shape, new Map())})` : ''}.`,
    });
  }
  if (shape) checkSizes(site, value, shape, dimensions, noun);
  return value;
}

/**
 * Throws unless `value` is a live tensor of one of `dtypes` and, as asked, of one of `ranks` or of
 * `shape`. A shape entry is an exact size (a number) or a named size (a string); with a shared
 * `dimensions` record, a name bound by an earlier check of the same call must match, and a new
 * name is bound here. Each problem has its own error and fix: not a tensor, disposed, wrong dtype
 * ({@link InvalidArgumentError}), wrong rank or sizes ({@link ShapeMismatchError}), e.g.
 * `Expected a float32 tensor of shape [batch=2, sequence=8, vocabulary=3000]; received shape
 * [2, 8, 2999]: 'vocabulary' is 3000 in outputs.logits but 2999 here`.
 *
 * @returns `value`, typed as a tensor.
 * @example
 * const dimensions: DimensionSizes = {};
 * checkTensor(site('outputs.logits'), logits, { dtypes: ['float32'], shape: ['batch', 'sequence', 'vocabulary'], dimensions });
 * checkTensor(site('labels'), labels, { dtypes: ['int32'], shape: ['batch', 'sequence'], dimensions });
 */
export function checkTensor(
  site: ArgumentSite,
  value: unknown,
  requirements: TensorRequirements,
): tf.Tensor {
  return checkTensorRequirements(site, value, requirements, 'tensor');
}
