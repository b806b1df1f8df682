// Reading the committed Hugging Face fixtures (written by scripts/generate_hugging_face_fixtures.py).
import { readFileSync } from 'node:fs';
import { crossEntropy, tokenCrossEntropy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { projectToVocabulary } from '../src/models/project-to-vocabulary';
import type { TransformerModel } from '../src/models/transformer-model';

/** The fixtures' expected outputs. */
export interface ExpectedOutputs {
  architecture: string;
  storage: string;
  inputs: {
    inputIds: number[][];
    attentionMask: number[][];
    tokenTypeIds?: number[][];
    labels: number[][];
    nextSentenceLabel?: number[];
  };
  logits: number[][][];
  nextSentenceLogits?: number[][];
  loss: number;
  /** The loss's gradient for every stored tensor, flat, by Hugging Face's names. */
  gradients: Record<string, number[]>;
}

const FIXTURES = new URL('../src/hugging-face/__fixtures__/', import.meta.url);

/** `config.json`, `model.safetensors` and `expected.json` of one fixture folder. */
export function readFixture(name: string) {
  const folder = new URL(`${name}/`, FIXTURES);
  return {
    config: readFileSync(new URL('config.json', folder), 'utf8'),
    weights: new Uint8Array(readFileSync(new URL('model.safetensors', folder))),
    expected: JSON.parse(readFileSync(new URL('expected.json', folder), 'utf8')) as ExpectedOutputs,
  };
}

const int32 = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');

/** The model's outputs on the fixture's inputs and Hugging Face's loss (causal: shifted mean; BERT: masked-LM mean + NSP). Call inside a tidy. */
export function fixtureOutputs(model: TransformerModel, inputs: ExpectedOutputs['inputs']) {
  const feed: Record<string, tf.Tensor> = {
    inputIds: int32(inputs.inputIds),
    attentionMask: int32(inputs.attentionMask),
  };
  if (inputs.tokenTypeIds) feed['tokenTypeIds'] = int32(inputs.tokenTypeIds);
  const outputs = model.apply(feed as never) as unknown as Record<string, unknown>;
  const labels = int32(inputs.labels);
  if (inputs.nextSentenceLabel) {
    const maskedLm = outputs['maskedLm'] as { hiddenStates: tf.Tensor; projection: never };
    const nextSentenceLogits = outputs['nextSentenceLogits'] as tf.Tensor;
    const loss = tf.add(
      tokenCrossEntropy(maskedLm, labels).loss,
      crossEntropy(nextSentenceLogits, tf.tensor1d(inputs.nextSentenceLabel, 'int32')).loss,
    ) as tf.Scalar;
    return { logits: projectToVocabulary(maskedLm), nextSentenceLogits, loss };
  }
  const loss = tokenCrossEntropy(outputs as never, labels, { shift: true }).loss as tf.Scalar;
  return { logits: projectToVocabulary(outputs as never), nextSentenceLogits: undefined, loss };
}

/** {@link fixtureOutputs} read back as numbers. */
export function runOnFixture(model: TransformerModel, inputs: ExpectedOutputs['inputs']) {
  return tf.tidy(() => {
    const { logits, nextSentenceLogits, loss } = fixtureOutputs(model, inputs);
    return {
      logits: Array.from(logits.dataSync()),
      nextSentenceLogits: nextSentenceLogits
        ? Array.from(nextSentenceLogits.dataSync())
        : undefined,
      loss: loss.dataSync()[0]!,
    };
  });
}

/** max |a − b| over two flat arrays. */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let largest = 0;
  for (let index = 0; index < expected.length; index++) {
    largest = Math.max(largest, Math.abs(actual[index]! - expected[index]!));
  }
  return largest;
}
