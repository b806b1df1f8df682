import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type BertObjective,
  createBertObjective,
  createNextSentencePairBuilder,
  type MaskedLmScoring,
} from '../src/index';
import { type Measurement, measureSideBySide } from './measure';

/**
 * One training step of the BERT heads (forward + backward with respect to the hidden states, the
 * tied embedding table and every head weight) on the wasm backend, gathering the masked positions
 * first versus transforming and scoring every position. Items are training examples.
 */
export async function benchmarkHeads(
  smoke: boolean,
): Promise<{ measurements: Measurement[]; setting: Record<string, number> }> {
  await tf.setBackend('wasm');
  await tf.ready();
  const setting = smoke
    ? { batch: 2, sequence: 32, hidden: 16, vocabulary: 2000 }
    : { batch: 8, sequence: 128, hidden: 256, vocabulary: 30522 };
  const { batch, sequence, hidden, vocabulary } = setting;
  const random = createRng(6);
  const documents = Array.from({ length: 40 }, () =>
    Array.from({ length: random.int(4, 20) }, () =>
      Array.from({ length: random.int(5, 30) }, () => random.int(1000, vocabulary - 1)),
    ),
  );
  const { examples } = createNextSentencePairBuilder({
    clsTokenId: 101,
    sepTokenId: 102,
    maxLength: sequence,
    shortSequenceProbability: 0,
  }).build(documents, random);
  const objective = (scoring: MaskedLmScoring) =>
    createBertObjective({
      vocabularySize: vocabulary,
      hiddenSize: hidden,
      clsTokenId: 101,
      sepTokenId: 102,
      padTokenId: 0,
      maskTokenId: 103,
      maxLength: sequence,
      padding: 'max-length',
      maskedLmScoring: scoring,
      seed: 7,
    });
  const gatherFirst = objective('gather-first');
  const allPositions = objective('all-positions');
  const bertBatch = gatherFirst.createBatch(examples.slice(0, batch), { random: createRng(8) });
  const hiddenStates = tf.tidy(() =>
    tf.variable(tf.randomNormal([batch, sequence, hidden], 0, 1, 'float32', 9)),
  );
  const table = tf.tidy(() =>
    tf.variable(tf.randomNormal([vocabulary, hidden], 0, 0.02, 'float32', 10)),
  );
  const step = (bert: BertObjective) => () => {
    const { value, grads } = tf.variableGrads(
      () =>
        bert.computeLoss({ outputs: { hiddenStates, embeddingTable: table }, batch: bertBatch })
          .loss,
      [hiddenStates, table, ...bert.trainableWeights()],
    );
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    return batch;
  };
  const measurements = measureSideBySide(
    [
      {
        name: `gather-first head (${bertBatch.counts.maskedLm} masked of ${batch * sequence} positions)`,
        run: step(gatherFirst),
      },
      { name: 'all-positions head', run: step(allPositions) },
    ],
    { runs: smoke ? 2 : 7, warmup: smoke ? 1 : 2 },
  );
  tf.dispose([hiddenStates, table]);
  gatherFirst.dispose();
  allPositions.dispose();
  return {
    measurements,
    setting: {
      ...setting,
      maskedPositions: bertBatch.counts.maskedLm,
      maxPredictions: bertBatch.dimensions['predictions']!,
    },
  };
}
