import { prefixLmAttentionBias } from '@lm-objectives/core';
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
import { createBertEncoder } from './create-bert-encoder';
import { createCausalDecoder } from './create-causal-decoder';
import { createGlmEncoder } from './create-glm-encoder';
import type { TransformerModel } from './transformer-model';

interface GoldenCase {
  kind: 'bert-encoder' | 'glm-encoder' | 'causal-decoder';
  config: Record<string, number | string | boolean>;
  weights: Record<string, EncodedArray>;
  inputs: Record<string, EncodedArray>;
  hiddenStates: EncodedArray;
  scoreWeights: EncodedArray;
  pooledOutput?: EncodedArray;
  pooledScoreWeights?: EncodedArray;
  gradients: Record<string, EncodedArray>;
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/models.golden.json', import.meta.url),
);

// The fixture predates the rename of BERT's segment table and input to Hugging Face's names.
const RENAMED: Readonly<Record<string, string>> = {
  'embeddings.segment': 'embeddings.tokenType',
  segmentIds: 'tokenTypeIds',
};
const renamed = (name: string) => RENAMED[name] ?? name;

const tensorOf = (encoded: EncodedArray) =>
  tf.tensor(
    decodeArray(encoded) as Float32Array | Int32Array,
    encoded.shape,
    encoded.dtype === 'int32' ? 'int32' : 'float32',
  );

function createModel(testCase: GoldenCase): TransformerModel {
  const config = { ...testCase.config, seed: 3 } as never;
  if (testCase.kind === 'bert-encoder')
    return createBertEncoder(config) as unknown as TransformerModel;
  if (testCase.kind === 'glm-encoder')
    return createGlmEncoder(config) as unknown as TransformerModel;
  return createCausalDecoder(config) as unknown as TransformerModel;
}

/** Hidden states (and pooled output) of the fixture's inputs; tensors created inside the caller's tidy. */
function run(model: TransformerModel, testCase: GoldenCase) {
  const inputs: Record<string, tf.Tensor> = {};
  for (const [name, encoded] of Object.entries(testCase.inputs)) {
    if (name !== 'separators') inputs[renamed(name)] = tensorOf(encoded);
  }
  if (testCase.kind === 'glm-encoder') {
    const separators = decodeArray(testCase.inputs['separators']!) as Int32Array;
    inputs['attentionBias'] = prefixLmAttentionBias(separators, inputs['inputIds']!.shape[1]!);
  }
  return model.apply(inputs as never) as { hiddenStates: tf.Tensor; pooledOutput?: tf.Tensor };
}

describeEachBackend('each model reproduces an independent float64 PyTorch implementation', () => {
  for (const testCase of golden.cases) {
    it(`the ${testCase.kind}'s hidden states and every weight's gradient match the reference`, () => {
      const model = createModel(testCase);
      const weights = Object.fromEntries(
        Object.entries(testCase.weights).map(([name, encoded]) => [
          renamed(name),
          { shape: encoded.shape, data: decodeArray(encoded) as Float32Array },
        ]),
      );
      expect(Object.keys(weights).sort()).toEqual(Object.keys(model.weights).sort());
      model.setWeights(weights);
      const hidden = tf.tidy(() => run(model, testCase).hiddenStates);
      expectRelativelyClose(
        hidden.dataSync(),
        decodeArray(testCase.hiddenStates),
        5e-6,
        'hidden states',
      );
      hidden.dispose();
      if (testCase.pooledOutput) {
        const pooled = tf.tidy(() => run(model, testCase).pooledOutput!);
        expectRelativelyClose(
          pooled.dataSync(),
          decodeArray(testCase.pooledOutput),
          5e-6,
          'pooled',
        );
        pooled.dispose();
      }
      const { value, grads } = tf.variableGrads(() => {
        const outputs = run(model, testCase);
        let score = tf.sum(tf.mul(outputs.hiddenStates, tensorOf(testCase.scoreWeights)));
        if (outputs.pooledOutput) {
          score = tf.add(
            score,
            tf.sum(tf.mul(outputs.pooledOutput, tensorOf(testCase.pooledScoreWeights!))),
          );
        }
        return score as tf.Scalar;
      }, model.variables as tf.Variable[]);
      try {
        // Some gradients are exactly 0 in exact arithmetic (a key bias shifts every score of a
        // query equally, and softmax ignores that): measure them against the model's largest gradient.
        const largest = Math.max(
          ...Object.values(testCase.gradients).map((encoded) => maxAbs(decodeArray(encoded))),
        );
        for (const [name, variable] of Object.entries(model.weights)) {
          const fixtureName = Object.keys(RENAMED).find((key) => RENAMED[key] === name) ?? name;
          const expected = decodeArray(testCase.gradients[fixtureName]!);
          const scale = Math.max(maxAbs(expected), 1e-3 * largest);
          const error = maxAbsDifference(grads[variable.name]!.dataSync(), expected) / scale;
          expect(error, `gradient of ${name} (scale ${scale})`).toBeLessThanOrEqual(1e-4);
        }
      } finally {
        tf.dispose([value, ...Object.values(grads)]);
        model.dispose();
      }
    });
  }
});
