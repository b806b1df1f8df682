import {
  checkBoolean,
  checkOptionKeys,
  checkTensor,
  InvalidArgumentError,
  linear,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { frozenLinear } from './frozen-linear';
import type { LoraApplyOptions } from './lora-adapter';
import type { LoraAdapterState } from './lora-adapter-state';
import { dropoutMask } from './lora-random';
import { loraStateError } from './lora-state-error';

const FUNCTION_NAME = 'LoraAdapter.apply';

/** Throws unless the adapter is alive, and unmerged when training (a merged adapter passes no gradient to $A$, $B$). */
function checkUsable(state: LoraAdapterState, training: boolean): void {
  if (state.disposed) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'adapter',
      expected: 'a live adapter',
      received: state.name,
      receivedDescription: `adapter '${state.name}', already disposed`,
      fix: 'create a new adapter; a disposed one has lost its A and B.',
    });
  }
  if (state.merged && training) {
    throw loraStateError(
      FUNCTION_NAME,
      state.name,
      true,
      'call unmerge() before training: a merged adapter would pass no gradient to A and B.',
    );
  }
}

/**
 * The adapted layer's output for `x` `[..., in]`:
 * $$y = x W + b + s\,(\mathrm{dropout}(x)\,A)\,B,$$
 * with inverted dropout (kept inputs scaled by $1/(1-p)$) only when `training`; when merged,
 * $y = xW' + b$ with $W' = W + s\,AB$ already in the kernel. The frozen product never computes a
 * weight gradient, and the adapter's products use core's wasm-fast `linear`. The dropout mask is
 * drawn before any tensor is made, so a call that fails does not advance the random stream.
 *
 * @returns float32 `[..., out]`, caller-owned.
 */
export function applyLoraAdapter(
  state: LoraAdapterState,
  x: tf.Tensor,
  options: LoraApplyOptions | undefined,
): tf.Tensor {
  checkOptionKeys(FUNCTION_NAME, options, ['training']);
  const training = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.training' },
    options?.training,
    false,
  );
  checkUsable(state, training);
  const { inputSize, outputSize, kernel, bias, a, b, scaling, dropout, merged } = state;
  checkTensor({ functionName: FUNCTION_NAME, argumentName: 'x' }, x, { dtypes: ['float32'] });
  if (x.rank < 1 || x.shape[x.rank - 1] !== inputSize) {
    throw new ShapeMismatchError({
      functionName: FUNCTION_NAME,
      argumentName: 'x',
      expected: `a tensor [..., ${inputSize}] (adapter '${state.name}' has ${inputSize} inputs)`,
      received: x,
      fix: 'pass the input of the adapted linear layer.',
    });
  }
  const leadingShape = x.shape.slice(0, -1);
  const rows = x.size / inputSize;
  const mask =
    training && dropout > 0 && !merged ? dropoutMask(state.random, x.size, dropout) : null;
  return tf.tidy(() => {
    const flat = tf.reshape(x, [rows, inputSize]) as tf.Tensor2D;
    let output: tf.Tensor2D = frozenLinear(flat, kernel as tf.Tensor2D, bias as tf.Tensor1D);
    if (!merged) {
      const input = mask ? tf.mul(flat, tf.tensor2d(mask, [rows, inputSize])) : flat;
      const update = linear(linear(input, a), b) as tf.Tensor2D;
      output = tf.add(output, tf.mul(update, scaling));
    }
    return tf.reshape(output, [...leadingShape, outputSize]);
  });
}
