import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { bitIdentical, ids, tinyDecoder, valuesOf } from '../../test/helpers';
import { createPrefixEncoder } from '../encoder/create-prefix-encoder';
import { applyWithPrefix } from './apply-with-prefix';
import { createPrefixTrainableModel } from './create-prefix-trainable-model';

const M = -1e9;
const PACKED_BIAS = [0, M, M, M, 0, 0, M, M, M, M, 0, M, M, M, 0, 0];

describeEachBackend('createPrefixTrainableModel', () => {
  it('lists only the prefix variables and runs the decoder with the batch mask, positions and extra inputs', () => {
    const decoder = tinyDecoder();
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 2,
      prefixProjection: true,
      initializerRange: 1,
    });
    const model = createPrefixTrainableModel(decoder, prefix, {
      // A packed row's block-diagonal causal mask: two examples of lengths 2 and 2.
      extraInputs: () => ({ attentionBias: tf.tensor4d(PACKED_BIAS, [1, 1, 4, 4]) }),
    });
    expect(model.variables).toEqual(prefix.variables);
    expect(model.embeddings).toEqual([prefix.weights.embedding]);
    const inputIds = ids([[3, 4, 5, 6]]);
    const attentionMask = ids([[1, 1, 1, 1]]);
    const positionIds = ids([[0, 1, 0, 1]]);
    const attentionBias = tf.tensor4d(PACKED_BIAS, [1, 1, 4, 4]);
    const viaAdapter = tf.tidy(
      () =>
        model.apply({
          tensors: { inputIds, attentionMask, positionIds },
          batch: {} as never,
          training: false,
        }).hiddenStates,
    );
    const direct = applyWithPrefix(decoder, prefix, {
      inputIds,
      attentionMask,
      positionIds,
      attentionBias,
    }).hiddenStates;
    expect(bitIdentical(valuesOf(viaAdapter), valuesOf(direct))).toBe(true);
    // The second packed example sees the prefix and itself only: it equals that example run alone.
    const secondAlone = ids([[5, 6]]);
    const alone = applyWithPrefix(decoder, prefix, { inputIds: secondAlone }).hiddenStates;
    const second = tf.slice(direct, [0, 2, 0], [1, 2, 8]);
    expect(
      Math.max(...Array.from(tf.tidy(() => tf.abs(tf.sub(second, alone)).dataSync()))),
    ).toBeLessThan(1e-5);
    tf.dispose([
      viaAdapter,
      direct,
      alone,
      second,
      secondAlone,
      inputIds,
      attentionMask,
      positionIds,
      attentionBias,
    ]);
    prefix.dispose();
    decoder.dispose();
  });
});
