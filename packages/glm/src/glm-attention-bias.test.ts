import { MASKED_ATTENTION_BIAS } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  DOCUMENT_GENERATION_LENGTH,
  DOCUMENT_TEXT,
  WORKED_ORDER,
  WORKED_SPANS,
  WORKED_TEXT,
  WORKED_TOKEN_IDS,
} from '../test/worked-examples';
import { createGlmBatch } from './data/create-glm-batch';
import { createGlmSampleBuilder } from './data/create-glm-sample-builder';
import { glmAttentionMask } from './data/glm-attention-mask';
import { glmAttentionBias } from './glm-attention-bias';

const TOKENS = WORKED_TOKEN_IDS;

describeEachBackend('glmAttentionBias', () => {
  it('is 0 where the boolean mask allows and the masked bias elsewhere, per row', () => {
    const builder = createGlmSampleBuilder(TOKENS);
    const batch = createGlmBatch(
      [
        builder.buildWithSpans(WORKED_TEXT, { spans: WORKED_SPANS, order: WORKED_ORDER }),
        builder.buildDocument(DOCUMENT_TEXT, { generationLength: DOCUMENT_GENERATION_LENGTH }),
        builder.buildDocument([11, 12], { generationLength: 1 }),
      ],
      TOKENS,
    );
    const length = batch.dimensions['sequence']!;
    const bias = glmAttentionBias(batch);
    expect(bias.shape).toEqual([3, 1, length, length]);
    expect(bias.dtype).toBe('float32');
    const values = bias.dataSync();
    const allowed = glmAttentionMask(batch).data;
    const expected = Array.from(allowed, (flag) => (flag ? 0 : MASKED_ATTENTION_BIAS));
    expect(Array.from(values)).toEqual(expected);
    bias.dispose();
  });

  it('takes separators and a length as well as a batch', () => {
    const bias = glmAttentionBias([1, 2], 3);
    expect(Array.from(bias.dataSync())).toEqual(
      Array.from(glmAttentionMask([1, 2], 3).data, (flag) => (flag ? 0 : MASKED_ATTENTION_BIAS)),
    );
    tf.dispose(bias);
  });
});
