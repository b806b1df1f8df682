import {
  decodeArray,
  describeEachBackend,
  type EncodedArray,
  expectRelativelyClose,
  maxAbs,
  maxAbsDifference,
  readGolden,
} from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { assignFrom, tensorOf, tinyDecoder } from '../../test/helpers';
import {
  createPrefixEncoder,
  type PrefixEncoderWeightName,
} from '../encoder/create-prefix-encoder';
import type { PrefixTuningOptions } from '../encoder/prefix-tuning-options';
import { applyWithPrefix } from './apply-with-prefix';

interface GoldenCase {
  config: Record<string, number>;
  prefixOptions: PrefixTuningOptions;
  modelWeights: Record<string, EncodedArray>;
  prefixWeights: Record<PrefixEncoderWeightName, EncodedArray>;
  inputs: { inputIds: EncodedArray; attentionMask: EncodedArray };
  projected: EncodedArray;
  hiddenStates: EncodedArray;
  scoreWeights: EncodedArray;
  gradients: Record<PrefixEncoderWeightName, EncodedArray>;
}

// Written by scripts/generate_prefix_fixtures.py (float64 PyTorch, PEFT's prefix layout, PyTorch's
// own multi-head attention with static keys/values).
const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/prefix.golden.json', import.meta.url),
);

describeEachBackend(
  'a prefixed causal decoder matches an independent float64 PyTorch implementation',
  () => {
    for (const testCase of golden.cases) {
      const label = testCase.prefixOptions.prefixProjection ? 'with the MLP' : 'without the MLP';
      it(`${label}: projected prefix, hidden states and every prefix gradient agree`, () => {
        const decoder = tinyDecoder(0, testCase.config);
        decoder.setWeights(
          Object.fromEntries(
            Object.entries(testCase.modelWeights).map(([name, encoded]) => [
              name,
              { shape: encoded.shape, data: decodeArray(encoded) as Float32Array },
            ]),
          ),
        );
        const prefix = createPrefixEncoder(decoder.config, testCase.prefixOptions);
        expect(Object.keys(prefix.weights).sort()).toEqual(
          Object.keys(testCase.prefixWeights).sort(),
        );
        for (const [name, encoded] of Object.entries(testCase.prefixWeights)) {
          assignFrom(prefix.weights[name as PrefixEncoderWeightName]!, encoded);
        }
        const inputIds = tensorOf(testCase.inputs.inputIds);
        const attentionMask = tensorOf(testCase.inputs.attentionMask);
        const scoreWeights = tensorOf(testCase.scoreWeights);

        const projected = prefix.projectedPrefix();
        expectRelativelyClose(
          projected.dataSync(),
          decodeArray(testCase.projected),
          1e-6,
          'projected prefix',
        );
        const hidden = applyWithPrefix(decoder, prefix, { inputIds, attentionMask }).hiddenStates;
        expectRelativelyClose(
          hidden.dataSync(),
          decodeArray(testCase.hiddenStates),
          5e-6,
          'hidden states',
        );
        const expectedHidden = decodeArray(testCase.hiddenStates);
        const hiddenError =
          maxAbsDifference(hidden.dataSync(), expectedHidden) / maxAbs(expectedHidden);
        console.log(
          `[${tf.getBackend()}] ${label}: hidden-state error ${hiddenError.toExponential(1)} (relative to max |expected|)`,
        );

        const { value, grads } = tf.variableGrads(
          () =>
            tf.sum(
              tf.mul(
                applyWithPrefix(decoder, prefix, { inputIds, attentionMask }).hiddenStates,
                scoreWeights,
              ),
            ) as tf.Scalar,
          [...prefix.variables],
        );
        for (const [name, variable] of Object.entries(prefix.weights)) {
          expectRelativelyClose(
            grads[variable!.name]!.dataSync(),
            decodeArray(testCase.gradients[name as PrefixEncoderWeightName]),
            2e-5,
            `gradient of ${name}`,
          );
        }
        tf.dispose([
          value,
          ...Object.values(grads),
          projected,
          hidden,
          inputIds,
          attentionMask,
          scoreWeights,
        ]);
        prefix.dispose();
        decoder.dispose();
      });
    }
  },
);
