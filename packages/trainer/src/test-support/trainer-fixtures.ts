// Test support (not exported): the trainer's tests run @lm-objectives/testing's next-token mock
// objective and tiny language model; this file only adapts the model to the trainer and makes the
// example rows the tests need.
import { createRng, type LogitScores } from '@lm-objectives/core';
import {
  createMockNextTokenObjective,
  createTinyLanguageModel,
  type MockNextTokenBatch,
  type MockNextTokenObjective,
} from '@lm-objectives/testing';
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainableModel } from '../model/trainable-model';

/** The vocabulary of every fixture: ids 0 (padding) to 10. */
export const VOCABULARY_SIZE = 11;

export type TinyBatch = MockNextTokenBatch;
export type TinyObjective = MockNextTokenObjective;

/** The next-token mock objective over `vocabularySize` ids (default {@link VOCABULARY_SIZE}). */
export function createTinyObjective(vocabularySize = VOCABULARY_SIZE): TinyObjective {
  return createMockNextTokenObjective({ vocabularySize });
}

const batchMaker = createMockNextTokenObjective({ vocabularySize: 2 ** 16 });

/** `createBatch` of the mock objective (which draws nothing from its random source). */
export function makeTinyBatch(examples: readonly ArrayLike<number>[]): TinyBatch {
  return batchMaker.createBatch(examples, { random: createRng(0) });
}

/** The tiny language model as a trainer model, plus `dispose` for its weights. */
export interface TinyModel extends TrainableModel<LogitScores, TinyBatch> {
  /** [embedding table, mixing kernel, mixing bias, output kernel]. */
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** `createTinyLanguageModel` (embedding → tanh layer → vocabulary scores) adapted to the trainer. */
export function createTinyModel(
  options: { seed?: number; hiddenSize?: number; vocabularySize?: number } = {},
): TinyModel {
  const tiny = createTinyLanguageModel({
    vocabularySize: options.vocabularySize ?? VOCABULARY_SIZE,
    hiddenSize: options.hiddenSize ?? 6,
    seed: options.seed ?? 7,
  });
  return {
    variables: [...tiny.variables],
    embeddings: [tiny.embeddingTable],
    inputFields: ['inputIds'],
    apply: ({ batch }) => ({ logits: tiny.logits(batch.fields.inputIds) }),
    dispose: tiny.dispose,
  };
}

/** Seeded random examples of the given lengths over ids [1, vocabularySize). */
export function randomExamples(
  lengths: readonly number[],
  seed: number,
  vocabularySize = VOCABULARY_SIZE,
): Int32Array[] {
  const random = createRng(seed);
  return lengths.map((length) =>
    Int32Array.from({ length }, () => random.int(1, vocabularySize - 1)),
  );
}

/** A repeating pattern the tiny model can learn: each id determines the next ($x_{t+1} = 1 + (x_t + 2) \bmod 10$). */
export function patternExamples(count: number, length: number, offset: number): Int32Array[] {
  return Array.from({ length: count }, (_, row) =>
    Int32Array.from(
      { length },
      (_, index) => 1 + ((offset + row + index * 3) % (VOCABULARY_SIZE - 1)),
    ),
  );
}
