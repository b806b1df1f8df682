import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '../../errors/describe-value';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { isTensor } from '../../validation/is-tensor';

/** Every tensor reachable from `value` (objects and arrays walked), to free a refused result. */
function tensorsIn(value: unknown, found: tf.Tensor[] = [], depth = 0): tf.Tensor[] {
  if (isTensor(value)) found.push(value);
  else if (value !== null && typeof value === 'object' && depth < 4) {
    for (const member of Object.values(value)) tensorsIn(member, found, depth + 1);
  }
  return found;
}

/**
 * Why `value` is not a live scalar tensor (float32 when `float` is set: a value gradients flow
 * through), or `undefined` when it is one.
 */
function scalarProblem(value: unknown, float = false): string | undefined {
  if (!isTensor(value)) return describeValue(value);
  if (value.isDisposed) return 'a disposed tensor';
  if (value.rank !== 0 || (float && value.dtype !== 'float32')) return describeValue(value);
  return undefined;
}

/** The first problem of the result, as `[argumentName, expected, received description, fix]`. */
function firstProblem(
  result: unknown,
  partNames: readonly string[],
): [string, string, string, string] | undefined {
  if (result == null || typeof result !== 'object') {
    return [
      'return value',
      '{ loss, parts, metrics }',
      describeValue(result),
      'return an ObjectiveLossResult.',
    ];
  }
  const { loss, parts, metrics } = result as Record<string, unknown>;
  const lossProblem = scalarProblem(loss, true);
  if (lossProblem !== undefined) {
    return [
      'return value.loss',
      'a float32 scalar tensor (the value to minimise)',
      lossProblem,
      'reduce the loss to a scalar (tf.sum / tf.mean) and return it as a tensor the caller owns.',
    ];
  }
  if (parts == null || typeof parts !== 'object') {
    return [
      'return value.parts',
      `an object with the parts ${partNames.join(', ')}`,
      describeValue(parts),
      'return each declared part as { loss, sum, count }.',
    ];
  }
  for (const name of Object.keys(parts)) {
    if (!partNames.includes(name)) {
      return [
        `return value.parts.${name}`,
        `only the declared parts ${partNames.join(', ')}`,
        `an undeclared part '${name}'`,
        'declare it in partNames, or report it as a metric.',
      ];
    }
  }
  for (const name of partNames) {
    const part = (parts as Record<string, Record<string, unknown> | undefined>)[name];
    for (const member of ['loss', 'sum', 'count']) {
      const problem = scalarProblem(part?.[member], member === 'loss');
      if (problem !== undefined) {
        return [
          `return value.parts.${name}.${member}`,
          member === 'loss' ? 'a float32 scalar tensor' : 'a scalar tensor',
          part == null ? 'no such part' : problem,
          `return parts.${name} = { loss, sum, count } as scalars (tf.scalar(0) for each when the batch has none).`,
        ];
      }
    }
  }
  for (const [name, metric] of Object.entries((metrics ?? {}) as Record<string, unknown>)) {
    const problem = scalarProblem(metric);
    if (problem !== undefined) {
      return [
        `return value.metrics.${name}`,
        'a scalar tensor',
        problem,
        'report metrics as scalar tensors (tf.scalar(value)).',
      ];
    }
  }
  return undefined;
}

/**
 * Checks what an objective's `computeLoss` returned: a float32 scalar `loss`, every declared part
 * (and no other) as scalar `{ loss, sum, count }` (its `loss` float32), and scalar metrics; all
 * live tensors. On a problem the result's tensors are freed (the caller would never receive them;
 * tensors of `keep`, the caller's own outputs, are left alone) and an
 * {@link InvalidArgumentError} names the objective and the member.
 *
 * The values are not read: a check for finite values would stall WebGL and WebGPU on every step,
 * and a NaN loss from a diverging model is for the training loop's non-finite guard to handle.
 */
export function checkLossResult(
  objectiveId: string,
  result: unknown,
  partNames: readonly string[],
  keep: unknown,
): void {
  const problem = firstProblem(result, partNames);
  if (!problem) return;
  const [argumentName, expected, receivedDescription, fix] = problem;
  const callers = new Set(tensorsIn(keep));
  tf.dispose(tensorsIn(result).filter((tensor) => !callers.has(tensor)));
  throw new InvalidArgumentError({
    functionName: `${objectiveId} computeLoss`,
    argumentName,
    expected,
    received: result,
    receivedDescription,
    fix,
  });
}
