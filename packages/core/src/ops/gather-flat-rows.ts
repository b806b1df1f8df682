import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { checkTensor } from '../validation/check-tensor';
import { isTensor } from '../validation/is-tensor';
import { tidyResult } from '../validation/tidy-result';
import { gatherRows } from './internal/gather-rows';
import { readsAreSynchronous } from './internal/synchronous-backend';

const FUNCTION_NAME = 'gatherFlatRows';

/** Throws for the first position outside $[0, \mathrm{rowCount})$. */
function checkPositionValues(positions: ArrayLike<number>, rowCount: number, shape: number[]) {
  for (let index = 0; index < positions.length; index++) {
    const position = positions[index]!;
    if (!(Number.isInteger(position) && position >= 0 && position < rowCount)) {
      throw new InvalidArgumentError({
        functionName: FUNCTION_NAME,
        argumentName: `flatPositions[${index}]`,
        expected: `a flat row index in [0, ${rowCount}) (b · L + t for rows of shape [${shape.join(', ')}])`,
        received: position,
        fix: 'compute flat positions as batchRow · sequenceLength + position, from the same batch as the rows.',
      });
    }
  }
}

/** The positions as an int32 `[N]` tensor, after checking them against `rowCount`. */
function positionsTensor(
  flatPositions: Int32Array | tf.Tensor1D,
  rowCount: number,
  shape: number[],
): tf.Tensor1D {
  if (isTensor(flatPositions)) {
    checkTensor({ functionName: FUNCTION_NAME, argumentName: 'flatPositions' }, flatPositions, {
      dtypes: ['int32'],
      ranks: [1],
    });
    if (readsAreSynchronous()) checkPositionValues(flatPositions.dataSync(), rowCount, shape);
    return flatPositions;
  }
  if (!(flatPositions instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'flatPositions',
      expected: 'an Int32Array or an int32 tensor of rank 1',
      received: flatPositions,
      fix: "pass the batch's scoredPositions field (an Int32Array), or tf.tensor1d(positions, 'int32').",
    });
  }
  checkPositionValues(flatPositions, rowCount, shape);
  return tf.tensor1d(flatPositions, 'int32');
}

/**
 * The rows at flat positions: reshapes `rows` `[B, L, H]` (or `[N, H]`) to `[B·L, H]` and takes
 * $\mathrm{out}[i, :] = \mathrm{rows}_{\mathrm{flat}}[\mathrm{flatPositions}[i], :]$, where a
 * flat position is $b \cdot L + t$. This is how an objective scores only a batch's
 * `scoredPositions`: the loss then sees `[scored, H]` instead of `[B·L, H]`.
 *
 * The gradient scatters the upstream rows back (repeated positions add up) with one `scatterND`,
 * which works on `cpu` and `wasm` (where `tf.gather`'s own gradient throws). Positions are
 * range-checked: always for an `Int32Array`; for a tensor on `cpu`/`wasm`, where reading it back
 * is cheap (on WebGL/WebGPU a tensor is not read).
 *
 * @param rows float32 `[B, L, H]` or `[N, H]`.
 * @param flatPositions int32 flat indices in $[0, B \cdot L)$, as an `Int32Array` or a `[P]` tensor.
 * @returns float32 `[P, H]`; the caller owns it.
 * @throws {InvalidArgumentError} for positions out of range or of the wrong type.
 * @example
 * const scoredHidden = gatherFlatRows(hiddenStates, batch.fields.scoredPositions.data);
 */
export function gatherFlatRows(
  rows: tf.Tensor,
  flatPositions: Int32Array | tf.Tensor1D,
): tf.Tensor2D {
  checkTensor({ functionName: FUNCTION_NAME, argumentName: 'rows' }, rows, {
    dtypes: ['float32'],
    ranks: [2, 3],
  });
  const hiddenSize = rows.shape[rows.rank - 1]!;
  const rowCount = rows.shape.slice(0, -1).reduce((product, size) => product * size, 1);
  return tidyResult(() => {
    const positions = positionsTensor(flatPositions, rowCount, rows.shape);
    const table = tf.reshape(rows, [rowCount, hiddenSize]) as tf.Tensor2D;
    return gatherRows(table, positions);
  });
}
