import {
  checkRandomSource,
  checkTensor,
  checkTokenIds,
  IGNORE_INDEX,
  type RandomSource,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { ElectraBatch } from './electra-batch';

/**
 * Draws the generator's replacement at every masked position, $\hat{x}_t \sim p_G(x_t \mid x^{\mathrm{masked}})$,
 * from its logits `[B, L, V]` (softmax in float64, one `random.categorical` draw per position).
 * Reads the logits off the tape: ELECTRA does not back-propagate through the sample.
 *
 * @returns int32 `[B·L]`: the sampled id at masked positions, the generator's input elsewhere.
 */
export function sampleGeneratorTokens(
  generatorLogits: tf.Tensor,
  batch: ElectraBatch,
  random: RandomSource,
): Int32Array {
  const { generatorLabels, generatorInputIds } = batch.fields;
  const [size, sequence] = generatorLabels.shape as [number, number];
  const site = (argumentName: string) => ({ functionName: 'sampleGeneratorTokens', argumentName });
  checkTensor(site('generatorLogits'), generatorLogits, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence', 'vocabulary'],
    dimensions: { batch: size, sequence },
  });
  checkRandomSource(site('random'), random);
  const vocabularySize = generatorLogits.shape[2]!;
  const logits = generatorLogits.dataSync();
  const samples = Int32Array.from(generatorInputIds.data);
  const probabilities = new Float64Array(vocabularySize);
  generatorLabels.data.forEach((label, at) => {
    if (label === IGNORE_INDEX) return;
    let top = -Infinity;
    for (let v = 0; v < vocabularySize; v++) top = Math.max(top, logits[at * vocabularySize + v]!);
    for (let v = 0; v < vocabularySize; v++)
      probabilities[v] = Math.exp(logits[at * vocabularySize + v]! - top);
    samples[at] = random.categorical(probabilities);
  });
  return samples;
}

/**
 * The batch with the discriminator's input rebuilt from the generator's samples (the paper's
 * $x^{\mathrm{corrupt}}$): `discriminatorInputIds` takes the sample at each masked position, and
 * `discriminatorLabels` is 1 exactly where the sample differs from the original. Pure; the counts
 * do not change.
 *
 * @param samples `[B·L]` ids, e.g. from {@link sampleGeneratorTokens}; only masked positions are read.
 */
export function applyGeneratorSamples(
  batch: ElectraBatch,
  samples: ArrayLike<number>,
): ElectraBatch {
  const { generatorLabels, discriminatorInputIds, discriminatorLabels } = batch.fields;
  checkTokenIds({ functionName: 'applyGeneratorSamples', argumentName: 'samples' }, samples, {
    length: generatorLabels.data.length,
  });
  const inputIds = Int32Array.from(discriminatorInputIds.data);
  const labels = Int32Array.from(discriminatorLabels.data);
  generatorLabels.data.forEach((original, at) => {
    if (original === IGNORE_INDEX) return;
    const sample = samples[at]!;
    inputIds[at] = sample;
    labels[at] = sample === original ? 0 : 1;
  });
  return {
    ...batch,
    fields: {
      ...batch.fields,
      discriminatorInputIds: { ...discriminatorInputIds, data: inputIds },
      discriminatorLabels: { ...discriminatorLabels, data: labels },
    },
  };
}
