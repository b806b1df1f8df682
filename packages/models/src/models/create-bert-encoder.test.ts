import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ids, maxDifferenceAt, TINY, tinyBert } from '../../test/tiny-models';

describeEachBackend('createBertEncoder', () => {
  it('returns hidden states [B, L, H], the tied table and, with a pooler, tanh(dense(h[:, 0])) [B, H]', () => {
    const bert = tinyBert({ pooler: true });
    const outputs = tf.tidy(() =>
      bert.apply({
        inputIds: ids([
          [1, 2, 3, 4],
          [5, 6, 7, 8],
          [9, 10, 11, 12],
        ]),
      }),
    );
    expect(outputs.hiddenStates.shape).toEqual([3, 4, 16]);
    expect(outputs.pooledOutput!.shape).toEqual([3, 16]);
    expect(outputs.embeddingTable).toBe(bert.weights['embeddings.token']);
    const reference = tf.tidy(() => {
      const first = tf.reshape(tf.slice(outputs.hiddenStates, [0, 0, 0], [3, 1, 16]), [3, 16]);
      const { kernel, bias } = bert.linears['pooler.dense']!;
      return tf.tanh(tf.add(tf.matMul(first, kernel), bias!));
    });
    const error = tf.tidy(
      () => tf.max(tf.abs(tf.sub(reference, outputs.pooledOutput!))).dataSync()[0]!,
    );
    expect(error).toBeLessThan(1e-6);
    tf.dispose([outputs.hiddenStates, outputs.pooledOutput!, reference]);
    bert.dispose();
  });

  it('has no pooler unless asked (the BERT objective owns its own by default)', () => {
    const bert = tinyBert();
    const outputs = tf.tidy(() => bert.apply({ inputIds: ids([[1, 2]]) }));
    expect(outputs.pooledOutput).toBeUndefined();
    expect(Object.keys(bert.linears)).not.toContain('pooler.dense');
    outputs.hiddenStates.dispose();
    bert.dispose();
  });

  it('token type ids change the hidden states; omitted ones mean type 0 (segment A)', () => {
    const bert = tinyBert({ seed: 4 });
    const run = (segments?: number[][]) =>
      tf.tidy(
        () =>
          bert.apply({
            inputIds: ids([[1, 2, 3, 4]]),
            ...(segments ? { tokenTypeIds: ids(segments) } : {}),
          }).hiddenStates,
      );
    const [omitted, zeros, mixed] = [
      run(),
      run([[0, 0, 0, 0]]),
      run([[0, 0, 1, 1]]),
    ] as tf.Tensor[];
    expect(maxDifferenceAt(omitted!, zeros!, 0, 4)).toBeLessThan(1e-6);
    expect(maxDifferenceAt(zeros!, mixed!, 0, 4)).toBeGreaterThan(1e-3);
    tf.dispose([omitted!, zeros!, mixed!]);
    bert.dispose();
  });

  it('names every weight and every linear stably and counts the parameters exactly', () => {
    const bert = tinyBert({ pooler: true });
    const {
      vocabularySize: V,
      hiddenSize: H,
      intermediateSize: I,
      maxPositions: P,
    } = {
      ...TINY,
    } as Required<typeof TINY>;
    expect(Object.keys(bert.linears)).toEqual([
      'layers.0.attention.query',
      'layers.0.attention.key',
      'layers.0.attention.value',
      'layers.0.attention.output',
      'layers.0.feedForward.intermediate',
      'layers.0.feedForward.output',
      'layers.1.attention.query',
      'layers.1.attention.key',
      'layers.1.attention.value',
      'layers.1.attention.output',
      'layers.1.feedForward.intermediate',
      'layers.1.feedForward.output',
      'pooler.dense',
    ]);
    expect(Object.keys(bert.weights).slice(0, 5)).toEqual([
      'embeddings.token',
      'embeddings.position',
      'embeddings.tokenType',
      'embeddings.layerNorm.gamma',
      'embeddings.layerNorm.beta',
    ]);
    const perLayer = 4 * (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H;
    const embeddings = V * H + P * H + 2 * H;
    const counts = bert.parameterCounts();
    expect(counts.layers).toEqual([perLayer, perLayer]);
    expect(counts.embeddings).toBe(embeddings);
    expect(counts.other).toBe(2 * H + (H * H + H));
    expect(counts.total).toBe(embeddings + 2 * perLayer + 2 * H + H * H + H);
    expect(counts.trainable).toBe(counts.total);
    bert.linears['layers.0.attention.query']!.kernel.trainable = false;
    expect(bert.parameterCounts().trainable).toBe(counts.total - H * H);
    expect(bert.embeddingVariables.map((variable) => variable.shape)).toEqual([
      [V, H],
      [P, H],
      [2, H],
    ]);
    expect(bert.variables).toHaveLength(Object.keys(bert.weights).length);
    expect(bert.weights['embeddings.token']!.name).toMatch(/embeddings\.token$/);
    bert.dispose();
  });

  it('with preTrainingHeads returns the masked-LM scores (tied decoder with its own bias) and the NSP logits', () => {
    const bert = tinyBert({ preTrainingHeads: true });
    const outputs = tf.tidy(() => bert.apply({ inputIds: ids([[1, 2, 3]]) }));
    expect(outputs.maskedLm!.hiddenStates.shape).toEqual([1, 3, 16]);
    expect(outputs.maskedLm!.projection.weight).toBe(bert.tokenEmbeddings);
    expect(outputs.maskedLm!.projection.bias).toBe(bert.weights['heads.maskedLm.outputBias']);
    expect(outputs.nextSentenceLogits!.shape).toEqual([1, 2]);
    expect(Object.keys(bert.linears)).toEqual(
      expect.arrayContaining(['heads.maskedLm.transform', 'heads.nextSentence']),
    );
    tf.dispose([
      outputs.hiddenStates,
      outputs.pooledOutput!,
      outputs.maskedLm!.hiddenStates,
      outputs.nextSentenceLogits!,
    ]);
    expect(() => tinyBert({ preTrainingHeads: true, pooler: false })).toThrow(
      /config\.pooler' is invalid\. Expected true \(or left out\) with preTrainingHeads: true/,
    );
    bert.dispose();
  });
});
