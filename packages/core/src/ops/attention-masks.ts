import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { checkNumberInRange } from '../validation/check-number-in-range';
import { checkTensor } from '../validation/check-tensor';
import { isTensor } from '../validation/is-tensor';

/**
 * The additive bias of a forbidden query–key pair. Large and finite rather than $-\infty$, so that
 * a row with every key forbidden (a padding query) gives a uniform softmax instead of NaN.
 */
export const MASKED_ATTENTION_BIAS = -1e9;

/**
 * Additive attention bias from a padding mask: 0 where `attentionMask[b, j]` is 1 (a real token),
 * {@link MASKED_ATTENTION_BIAS} where it is 0 (padding). Keys are masked for every query.
 *
 * @param attentionMask `[B, L]` of 1/0 (int32, float32 or bool).
 * @returns float32 `[B, 1, 1, L]`, broadcastable against attention scores `[B, heads, Lq, L]`.
 */
export function paddingAttentionBias(attentionMask: tf.Tensor): tf.Tensor4D {
  checkTensor(
    { functionName: 'paddingAttentionBias', argumentName: 'attentionMask' },
    attentionMask,
    {
      dtypes: ['int32', 'float32', 'bool'],
      ranks: [2],
    },
  );
  const [batchSize, length] = attentionMask.shape as [number, number];
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(attentionMask, tf.zerosLike(attentionMask)), 'float32');
    const bias = forbiddenToBias(keep);
    return tf.reshape(bias, [batchSize, 1, 1, length]) as tf.Tensor4D;
  });
}

/** 1/0 "allowed" → 0 / {@link MASKED_ATTENTION_BIAS}, written so that allowed pairs get +0 rather than −0. */
function forbiddenToBias(allowed: tf.Tensor): tf.Tensor {
  return tf.mul(tf.sub(allowed, 1), -MASKED_ATTENTION_BIAS);
}

/** `[L, L]` bool: true where key $j \le$ query $i$. */
function lowerTriangle(length: number): tf.Tensor2D {
  const positions = tf.range(0, length, 1, 'int32');
  return tf.lessEqual(
    tf.reshape(positions, [1, length]),
    tf.reshape(positions, [length, 1]),
  ) as tf.Tensor2D;
}

function checkLength(functionName: string, length: number): void {
  checkNumberInRange(
    { functionName, argumentName: 'length' },
    length,
    { min: 1, integer: true },
    'pass the sequence length, a positive integer.',
  );
}

/**
 * Causal (left-to-right) attention bias: query $i$ may attend to key $j$ iff $j \le i$.
 *
 * @returns float32 `[1, 1, L, L]`: 0 where allowed, {@link MASKED_ATTENTION_BIAS} elsewhere.
 */
export function causalAttentionBias(length: number): tf.Tensor4D {
  checkLength('causalAttentionBias', length);
  return tf.tidy(() => {
    const allowed = tf.cast(lowerTriangle(length), 'float32');
    return tf.reshape(forbiddenToBias(allowed), [1, 1, length, length]) as tf.Tensor4D;
  });
}

/**
 * Prefix-LM attention bias (GLM's mixed mask, prefix tuning's prompts): query $i$ may attend to
 * key $j$ iff $j < \mathrm{sep}_b \lor j \le i$. The first $\mathrm{sep}_b$ positions (GLM's Part A)
 * see each other bidirectionally and never see what follows; later positions see the whole prefix
 * and the earlier positions causally.
 *
 * @param separators per-row prefix length `sep` (an array or int32 `[B]` tensor), each in $[0, L]$.
 * @param length the sequence length `L`.
 * @returns float32 `[B, 1, L, L]`: 0 where allowed, {@link MASKED_ATTENTION_BIAS} elsewhere.
 */
export function prefixLmAttentionBias(
  separators: tf.Tensor | readonly number[] | Int32Array,
  length: number,
): tf.Tensor4D {
  const functionName = 'prefixLmAttentionBias';
  checkLength(functionName, length);
  let values: ArrayLike<number>;
  if (isTensor(separators)) {
    checkTensor({ functionName, argumentName: 'separators' }, separators, {
      dtypes: ['int32'],
      ranks: [1],
    });
    values = separators.dataSync();
  } else if (Array.isArray(separators) || separators instanceof Int32Array) {
    values = separators;
  } else {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'separators',
      expected: 'an array, Int32Array or int32 [B] tensor of prefix lengths',
      received: separators,
      fix: 'pass one prefix length (sep) per batch row.',
    });
  }
  if (values.length === 0) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'separators',
      expected: 'at least one prefix length (one per batch row)',
      received: separators,
      fix: 'pass one prefix length per batch row.',
    });
  }
  for (let row = 0; row < values.length; row++) {
    checkNumberInRange(
      { functionName, argumentName: `separators[${row}]` },
      values[row],
      { min: 0, max: length, integer: true },
      `each prefix length must lie between 0 and the sequence length ${length}.`,
    );
  }
  const batchSize = values.length;
  // Filled on the data side and uploaded once: composing it from comparison ops cost 5–50× more
  // (several [B, L, L] intermediates), measured by the GLM package's benchmark.
  const bias = new Float32Array(batchSize * length * length);
  for (let row = 0; row < batchSize; row++) {
    const separator = values[row]!;
    for (let query = 0; query < length; query++) {
      const start = (row * length + query) * length;
      const visibleUpTo = Math.max(separator, query + 1); // keys j < sep, or j ≤ i
      bias.fill(MASKED_ATTENTION_BIAS, start + visibleUpTo, start + length);
    }
  }
  return tf.tensor4d(bias, [batchSize, 1, length, length]);
}

/**
 * Combines attention biases (padding, causal, prefix-LM, …) by broadcasting: a pair is allowed
 * only if every bias allows it. The element-wise minimum keeps forbidden pairs at exactly
 * {@link MASKED_ATTENTION_BIAS} rather than adding them up.
 *
 * @returns float32 of the broadcast shape; the caller owns it.
 */
export function combineAttentionBiases(...biases: tf.Tensor[]): tf.Tensor {
  if (biases.length === 0) {
    throw new InvalidArgumentError({
      functionName: 'combineAttentionBiases',
      argumentName: 'biases',
      expected: 'at least one attention bias tensor',
      received: biases,
      fix: 'pass the biases to combine, e.g. combineAttentionBiases(paddingBias, causalBias).',
    });
  }
  biases.forEach((bias, index) => {
    checkTensor(
      { functionName: 'combineAttentionBiases', argumentName: `biases[${index}]` },
      bias,
      {
        dtypes: ['float32'],
      },
    );
  });
  return tf.tidy(() =>
    biases
      .slice(1)
      .reduce<tf.Tensor>((combined, bias) => tf.minimum(combined, bias), tf.clone(biases[0]!)),
  );
}
