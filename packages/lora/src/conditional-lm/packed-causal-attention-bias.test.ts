import { MASKED_ATTENTION_BIAS } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectInvalidArgument } from '../../test/helpers';
import { packedCausalAttentionBias } from './packed-causal-attention-bias';

const M = MASKED_ATTENTION_BIAS;

describeEachBackend('packedCausalAttentionBias', () => {
  it('allows key j for query i only within the same example and causally; padding sees nothing', () => {
    const bias = packedCausalAttentionBias({
      shape: [1, 5],
      data: new Int32Array([1, 1, 2, 2, 0]),
    });
    expect(bias.shape).toEqual([1, 1, 5, 5]);
    const rows = Array.from({ length: 5 }, (_, i) =>
      Array.from(bias.dataSync()).slice(i * 5, i * 5 + 5),
    );
    expect(rows).toEqual([
      [0, M, M, M, M],
      [0, 0, M, M, M],
      [M, M, 0, M, M], // the second example does not see the first
      [M, M, 0, 0, M],
      [M, M, M, M, M],
    ]);
    bias.dispose();
  });

  it('accepts an int32 tensor and refuses other inputs', () => {
    const exampleIds = tf.tensor2d(
      [
        [1, 2],
        [1, 1],
      ],
      [2, 2],
      'int32',
    );
    const bias = packedCausalAttentionBias(exampleIds);
    expect(Array.from(bias.dataSync())).toEqual([0, M, M, 0, 0, M, 0, 0]);
    const floats = tf.zeros([2, 2]);
    expectInvalidArgument(
      () => packedCausalAttentionBias(floats),
      'packedCausalAttentionBias',
      'exampleIds',
    );
    tf.dispose([exampleIds, bias, floats]);
  });
});
