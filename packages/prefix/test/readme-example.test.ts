// The README's usage example, at a tiny size: train with trainer.train, export, load, predict.
import { createConditionalLmObjective } from '@lm-objectives/lora';
import { createCausalDecoder, projectToVocabulary } from '@lm-objectives/models';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  applyWithPrefix,
  createPrefixEncoder,
  createPrefixTrainableModel,
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
  exportPrefix,
  loadPrefix,
} from '../src/index';

describeEachBackend('the README example runs as written', () => {
  it('trains with trainer.train, exports, loads and predicts the memorised next token', async () => {
    const decoder = createCausalDecoder({
      vocabularySize: 12,
      hiddenSize: 16,
      numLayers: 2,
      numHeads: 4,
      initializerRange: 0.5,
    });
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 4,
      prefixProjection: true,
      initializerRange: 0.5,
      seed: 1,
    });
    const objective = createConditionalLmObjective({ eosTokenId: 2, maxLength: 16 });
    const trainer = createTrainer({
      objective,
      model: createPrefixTrainableModel(decoder, prefix),
      learningRate: 5e-2,
      seed: 1,
    });
    const losses: number[] = [];
    await trainer.train({
      totalSteps: 40,
      nextWindow: ({ createBatch }) => [createBatch([{ prompt: [5, 9, 4], completion: [7] }])],
      onProgress: ({ loss }) => {
        losses.push(loss);
      },
    });
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
    const bytes = encodePrefixCheckpoint(exportPrefix(prefix));
    trainer.dispose();
    prefix.dispose();

    const loaded = loadPrefix(decodePrefixCheckpoint(bytes), decoder.config);
    const inputIds = tf.tensor2d([[5, 9, 4]], [1, 3], 'int32');
    const nextToken = tf.tidy(() => {
      const outputs = applyWithPrefix(decoder, loaded, { inputIds });
      const logits = projectToVocabulary(outputs);
      return tf.argMax(tf.squeeze(tf.slice(logits, [0, 2, 0], [1, 1, -1])), -1).dataSync()[0];
    });
    expect(nextToken).toBe(7);
    loaded.dispose();
    inputIds.dispose();
    decoder.dispose();
  });
});
