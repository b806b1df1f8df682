import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { checkTensor } from '../validation/check-tensor';
import type { DimensionSizes } from '../validation/dimension-sizes';
import { gatherRows } from './internal/gather-rows';
import { readsAreSynchronous } from './internal/synchronous-backend';

/**
 * Gathers, per batch row, the hidden states at the given positions:
 * $\mathrm{out}[b, p, :] = \mathrm{hidden}[b, \mathrm{positions}[b, p], :]$.
 *
 * This is how a masked-LM head scores only the masked positions (`[B·P, H]` instead of
 * `[B·L, H]`). The gradient scatters back into `hidden` and works on every backend.
 *
 * @param hidden float32 `[B, L, H]`.
 * @param positions int32 `[B, P]`, each in $[0, L)$ (padded slots may repeat position 0; give
 *   them weight 0 in the loss). Checked on backends with cheap synchronous reads (cpu, wasm); on
 *   WebGL and WebGPU the tensor is not read back.
 * @returns float32 `[B, P, H]`; the caller owns it.
 */
export function gatherPositions(hidden: tf.Tensor, positions: tf.Tensor): tf.Tensor3D {
  const functionName = 'gatherPositions';
  const dimensions: DimensionSizes = {};
  checkTensor({ functionName, argumentName: 'hidden' }, hidden, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence', 'hidden'],
    dimensions,
  });
  checkTensor({ functionName, argumentName: 'positions' }, positions, {
    dtypes: ['int32'],
    shape: ['batch', 'predictions'],
    dimensions,
  });
  const [batchSize, length, hiddenSize] = hidden.shape as [number, number, number];
  const perRow = positions.shape[1]!;
  const values = readsAreSynchronous() ? positions.dataSync() : [];
  for (let index = 0; index < values.length; index++) {
    const position = values[index]!;
    if (!(position >= 0 && position < length)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `positions[${Math.floor(index / perRow)}, ${index % perRow}]`,
        expected: `a position in [0, ${length}) (the sequence length of hidden)`,
        received: position,
        fix: 'pad unused slots with position 0 and weight them out of the loss.',
      });
    }
  }
  return tf.tidy(() => {
    const rowStarts = tf.reshape(
      tf.mul(tf.range(0, batchSize, 1, 'int32'), tf.scalar(length, 'int32')),
      [batchSize, 1],
    );
    const flatIndices = tf.reshape(tf.add(positions, rowStarts), [
      batchSize * perRow,
    ]) as tf.Tensor1D;
    const table = tf.reshape(hidden, [batchSize * length, hiddenSize]) as tf.Tensor2D;
    return tf.reshape(gatherRows(table, flatIndices), [
      batchSize,
      perRow,
      hiddenSize,
    ]) as tf.Tensor3D;
  });
}
