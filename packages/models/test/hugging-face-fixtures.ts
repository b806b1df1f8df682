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

/**
 * Runs a model on the fixture's inputs: logits `[B, L, V]` (the masked-LM logits for BERT), the
 * next-sentence logits, and Hugging Face's loss (causal: shifted mean; BERT: masked-LM mean + NSP).
 */
export function runOnFixture(model: TransformerModel, inputs: ExpectedOutputs['inputs']) {
  return tf.tidy(() => {
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
      );
      return {
        logits: Array.from(projectToVocabulary(maskedLm).dataSync()),
        nextSentenceLogits: Array.from(nextSentenceLogits.dataSync()),
        loss: loss.dataSync()[0]!,
      };
    }
    const loss = tokenCrossEntropy(outputs as never, labels, { shift: true }).loss;
    return {
      logits: Array.from(projectToVocabulary(outputs as never).dataSync()),
      nextSentenceLogits: undefined,
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
