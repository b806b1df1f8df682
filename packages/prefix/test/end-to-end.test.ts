// End to end: a frozen tiny causal decoder, a prefix trained through @lm-objectives/trainer with the
// conditional objective of @lm-objectives/lora (passed in as an argument: prefix never imports lora)
// on a memorisation task. The completion loss must fall by at least a factor of 3, every base weight
// must stay bit-identical, and the exported-then-loaded prefix must give the trained prefix's loss.
import { type ConditionalExample, createConditionalLmObjective } from '@lm-objectives/lora';
import { describeEachBackend } from '@lm-objectives/test-utils';
import { createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  createPrefixEncoder,
  createPrefixTrainableModel,
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
  exportPrefix,
  loadPrefix,
} from '../src/index';
import { bitIdentical, tinyDecoder, valuesOf } from './helpers';

const EOS = 1;
// Four prompts, each with one completion to memorise (ids 2–12 of the tiny vocabulary).
const EXAMPLES: ConditionalExample[] = [
  { prompt: [2, 3], completion: [7, 8, 9] },
  { prompt: [4, 3], completion: [10, 11] },
  { prompt: [5, 6, 3], completion: [12, 7] },
  { prompt: [6, 2, 3], completion: [9, 9, 12] },
];

describeEachBackend(
  'end to end: prefix tuning a frozen decoder with the conditional objective',
  () => {
    for (const prefixProjection of [false, true]) {
      it(`${prefixProjection ? 'with' : 'without'} the MLP, the completion loss falls ≥ 3× while the base stays bit-identical`, () => {
        const decoder = tinyDecoder(3, {
          hiddenSize: 16,
          numHeads: 2,
          maxPositions: 8,
          initializerRange: 0.5,
        });
        const prefix = createPrefixEncoder(decoder.config, {
          numVirtualTokens: 4,
          prefixProjection,
          initializerRange: 0.5,
          seed: 9,
        });
        const objective = createConditionalLmObjective({ eosTokenId: EOS });
        const trainer = createTrainer({
          objective,
          model: createPrefixTrainableModel(decoder, prefix),
          learningRate: 0.05,
          optimizer: { weightDecay: 0 },
          seed: 1,
        });
        expect(trainer.variables).toEqual(prefix.variables);
        const baseBefore = decoder.variables.map(valuesOf);
        const batch = objective.createBatch(EXAMPLES, { random: trainer.random });
        const before = trainer.evaluate([batch]).loss;
        let after = before;
        for (let step = 0; step < 60; step++) after = trainer.trainStep([batch]).loss;
        after = trainer.evaluate([batch]).loss;
        console.log(
          `[${tf.getBackend()}] prefix ${prefixProjection ? 'with MLP' : 'table'}: completion loss ${before.toFixed(3)} → ${after.toFixed(3)} (÷${(before / after).toFixed(1)}), ` +
            `${prefix.parameterCount()} trainable / ${decoder.parameterCounts().total} model parameters`,
        );
        expect(before / after).toBeGreaterThanOrEqual(3);
        decoder.variables.forEach((variable, index) => {
          expect(bitIdentical(valuesOf(variable), baseBefore[index]!), variable.name).toBe(true);
        });

        // Export (projected prefixes only), serialise, load for inference: the same loss, exactly.
        const checkpoint = decodePrefixCheckpoint(encodePrefixCheckpoint(exportPrefix(prefix)));
        expect(checkpoint.keyValues.length).toBe(prefix.exportedParameterCount());
        const loaded = loadPrefix(checkpoint, decoder.config);
        const evaluateWith = (source: typeof loaded | typeof prefix) =>
          tf.tidy(() => {
            const tensors = {
              inputIds: tf.tensor(
                batch.fields.inputIds.data,
                [...batch.fields.inputIds.shape],
                'int32',
              ),
              attentionMask: tf.tensor(
                Int32Array.from(batch.fields.attentionMask.data),
                [...batch.fields.attentionMask.shape],
                'int32',
              ),
            };
            const outputs = decoder.apply({ ...tensors, prefixKeyValues: source.keyValues() });
            const { loss } = objective.computeLoss({ outputs, batch });
            return loss.dataSync()[0]!;
          });
        expect(evaluateWith(loaded)).toBe(evaluateWith(prefix));
        loaded.dispose();
        trainer.dispose();
        prefix.dispose();
        decoder.dispose();
      });
    }
  },
);
