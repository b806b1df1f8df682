import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeOnBackends } from '../test/each-backend';
import { applyGeneratorSamples, sampleGeneratorTokens } from './apply-generator-samples';
import { createElectraBatch } from './create-electra-batch';
import { resolveElectraOptions } from './electra-options';

// Ids 1 and 2 are the ordinary tokens; [MASK] = 0 and [PAD] = 3 are reserved.
const options = resolveElectraOptions({
  vocabularySize: 4,
  maskTokenId: 0,
  padTokenId: 3,
  maskRatio: 1,
});

it('rebuilds the discriminator input from samples, labelling a sample equal to the original 0', () => {
  const batch = createElectraBatch([[1, 2, 2]], options, createRng(1));
  const updated = applyGeneratorSamples(batch, [1, 1, 2]);
  expect(Array.from(updated.fields.discriminatorInputIds.data)).toEqual([1, 1, 2]);
  expect(Array.from(updated.fields.discriminatorLabels.data)).toEqual([0, 1, 0]);
  expect(updated.fields.generatorLabels).toBe(batch.fields.generatorLabels);
  expect(updated.counts).toEqual(batch.counts);
});

describeOnBackends('sampleGeneratorTokens', () => {
  it('samples each masked position from the softmax of its logits (3000 draws, 5σ)', () => {
    // Every position masked; softmax [0, ln 2, ln 3] = [1, 2, 3] / 6 at each.
    const rows = Array.from({ length: 1000 }, () => [1, 2, 1]);
    const batch = createElectraBatch(rows, options, createRng(2));
    const row = [0, Math.log(2), Math.log(3)];
    const logits = tf.tensor(Array.from({ length: 3000 }, () => row).flat(), [1000, 3, 3]);
    const samples = sampleGeneratorTokens(logits, batch, createRng(6));
    const counts = [0, 0, 0];
    for (const id of samples) counts[id]!++;
    [1 / 6, 2 / 6, 3 / 6].forEach((p, id) => {
      const sigma = Math.sqrt(3000 * p * (1 - p));
      expect(Math.abs(counts[id]! - 3000 * p)).toBeLessThan(5 * sigma);
    });
    logits.dispose();
  });
});
