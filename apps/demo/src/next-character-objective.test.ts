import { createRng, crossEntropy } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createCharacterVocabulary } from './character-vocabulary';
import { ALICE_OPENING } from './corpus';
import { nextCharacterObjective } from './next-character-objective';
import { createTinyModel, sampleWindows } from './tiny-model';

const windows = [Int32Array.from([1, 2, 3, 4]), Int32Array.from([5, 6, 7, 8])];

it('counts L − 1 scored characters per window and explains every position', () => {
  const batch = nextCharacterObjective.createBatch(windows, { random: createRng(1) });
  expect(batch.counts.nextCharacter).toBe(6);
  expect(batch.fields.inputIds.shape).toEqual([2, 4]);
  const explanation = nextCharacterObjective.explainBatch!(batch);
  expect(explanation.rows[1]!.tokens.map((token) => token.label)).toEqual([6, 7, 8, null]);
});

describeEachBackend('the demo next-character objective', () => {
  it('equals crossEntropy with shift, and honours numItemsInBatch', () => {
    const batch = nextCharacterObjective.createBatch(windows, { random: createRng(1) });
    const logits = tf.randomNormal([2, 4, 9], 0, 1, 'float32', 3);
    const ours = nextCharacterObjective.computeLoss({ outputs: { logits }, batch });
    const direct = crossEntropy(logits, batch.fields.labels.data, { shift: true });
    expect(ours.loss.dataSync()[0]).toBeCloseTo(direct.loss.dataSync()[0]!, 6);
    const halved = nextCharacterObjective.computeLoss({
      outputs: { logits },
      batch,
      numItemsInBatch: { nextCharacter: 12 },
    });
    expect(halved.loss.dataSync()[0]).toBeCloseTo(direct.loss.dataSync()[0]! / 2, 6);
    tf.dispose([
      logits,
      ours.loss,
      ...Object.values(ours.parts.nextCharacter),
      ...Object.values(ours.metrics),
      ...Object.values(direct),
      halved.loss,
      ...Object.values(halved.metrics),
      ...Object.values(halved.parts.nextCharacter),
    ]);
  });

  it('trains the tiny model through @lm-objectives/trainer with a falling loss', async () => {
    const vocabulary = createCharacterVocabulary(ALICE_OPENING);
    const corpus = vocabulary.encode(ALICE_OPENING);
    const model = createTinyModel({
      vocabularySize: vocabulary.size,
      window: 3,
      embeddingSize: 8,
      hiddenSize: 32,
      seed: 2,
    });
    const trainer = createTrainer({
      objective: nextCharacterObjective,
      model: {
        variables: model.weights,
        inputFields: ['inputIds'],
        apply: ({ tensors }) => ({ logits: model.logits(tensors.inputIds as tf.Tensor2D) }),
      },
      learningRate: 0.02,
      seed: 5,
    });
    const losses: number[] = [];
    await trainer.train({
      totalSteps: 30,
      nextWindow: ({ random, createBatch }) => {
        const flat = sampleWindows(corpus, 8, 24, random);
        return [
          createBatch(
            Array.from({ length: 8 }, (_, row) => flat.subarray(row * 24, (row + 1) * 24)),
          ),
        ];
      },
      onProgress: ({ loss }) => {
        losses.push(loss);
      },
    });
    expect(losses.length).toBe(30);
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
    trainer.dispose();
    model.dispose();
  });
});
