import { createRng } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createCharacterVocabulary } from './character-vocabulary';
import { ALICE_OPENING } from './corpus';
import { createTinyModel, generateGreedy, sampleWindows } from './tiny-model';

const vocabulary = createCharacterVocabulary(ALICE_OPENING);
const corpus = vocabulary.encode(ALICE_OPENING);
const config = {
  vocabularySize: vocabulary.size,
  window: 3,
  embeddingSize: 8,
  hiddenSize: 32,
  seed: 3,
};

it('samples the same windows for the same seed, each a contiguous slice of the corpus', () => {
  const first = sampleWindows(corpus, 4, 16, createRng(9));
  const second = sampleWindows(corpus, 4, 16, createRng(9));
  expect(Array.from(first)).toEqual(Array.from(second));
  const text = vocabulary.decode(first.subarray(16, 32));
  expect(ALICE_OPENING.includes(text)).toBe(true);
});

describeEachBackend('tiny demo model', () => {
  it('produces logits [B, L, V] where position t depends only on tokens up to t', () => {
    const model = createTinyModel(config);
    const ids = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const changedLast = tf.tensor2d([[1, 2, 3, 4, 9]], [1, 5], 'int32');
    const logits = model.logits(ids);
    const logitsChanged = model.logits(changedLast);
    expect(logits.shape).toEqual([1, 5, vocabulary.size]);
    const before = logits.arraySync()[0]!;
    const after = logitsChanged.arraySync()[0]!;
    for (let position = 0; position < 4; position++)
      expect(after[position]).toEqual(before[position]);
    expect(after[4]).not.toEqual(before[4]);
    tf.dispose([ids, changedLast, logits, logitsChanged]);
    model.dispose();
  });

  it('lowers its loss within 40 Adam steps and keeps the tensor count flat while training', () => {
    const model = createTinyModel(config);
    const optimizer = tf.train.adam(0.02);
    const random = createRng(4);
    const losses: number[] = [];
    let tensorsAfterFirstStep = 0;
    for (let step = 0; step < 40; step++) {
      const batch = sampleWindows(corpus, 8, 24, random);
      const loss = optimizer.minimize(() => model.loss(batch, 8, 24), true, model.weights)!;
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      if (step === 0) tensorsAfterFirstStep = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    expect(losses[0]).toBeCloseTo(Math.log(vocabulary.size), 0);
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
    expect(generateGreedy(model, vocabulary.encode('Alice'), 5).length).toBe(10);
    optimizer.dispose();
    model.dispose();
  });
});
