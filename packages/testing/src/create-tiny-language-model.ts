import {
  type BatchField,
  checkFiniteNumber,
  checkInteger,
  checkOptionsObject,
  createRng,
  embeddingLookup,
  type HiddenStateScores,
  InvalidArgumentError,
  type LogitScores,
  linear,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceModel } from './conformance-types';

/** Options of {@link createTinyLanguageModel}. */
export interface TinyLanguageModelOptions {
  /** $V$: rows of the embedding table and columns of the output layer. */
  readonly vocabularySize: number;
  /** $H$. Default 4: large enough to be non-degenerate, small enough for finite differences. */
  readonly hiddenSize?: number;
  /** Seed of the initial weights (through `createRng`). Default 0. */
  readonly seed?: number;
  /** Standard deviation of the initial weights. Default 0.5, so that gradients are well above float32 noise. */
  readonly initialScale?: number;
}

/**
 * A one-layer token model for conformance fixtures:
 * $h = \tanh(E[\mathrm{ids}]\,K + b)$, logits $= h\,W_{\mathrm{out}}$, with an embedding table
 * $E$ `[V, H]`, a mixing layer $K$ `[H, H]`, $b$ `[H]`, and an output layer $W_{\mathrm{out}}$
 * `[H, V]`. Its gradients work on cpu and wasm (core's `embeddingLookup` and `linear`).
 */
export interface TinyLanguageModel {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  /** $E$, float32 `[V, H]`; pass it as a tied output layer (`vocab-by-hidden`) where an objective wants one. */
  readonly embeddingTable: tf.Variable;
  readonly mixingKernel: tf.Variable;
  readonly mixingBias: tf.Variable;
  /** $W_{\mathrm{out}}$, float32 `[H, V]` (`hidden-by-vocab`). */
  readonly outputKernel: tf.Variable;
  /** All four weights. */
  readonly variables: readonly tf.Variable[];
  /** $h$ for an int32 ids field `[..., L]`: float32 `[..., L, H]`. */
  hiddenStates(ids: BatchField): tf.Tensor;
  /** Logits for an int32 ids field: float32 `[..., L, V]`. */
  logits(ids: BatchField): tf.Tensor;
  /** A conformance model producing `{ logits }` from the batch field `fieldName`. */
  logitModel<Batch extends ObjectiveBatchV1>(
    fieldName: string,
  ): ConformanceModel<Batch, LogitScores>;
  /** A conformance model producing `{ hiddenStates, projection }` (the fused path) from `fieldName`. */
  hiddenStateModel<Batch extends ObjectiveBatchV1>(
    fieldName: string,
  ): ConformanceModel<Batch, HiddenStateScores>;
  /** Frees the four weights. */
  dispose(): void;
}

let instances = 0;

const FUNCTION_NAME = 'createTinyLanguageModel';

function checkSize(name: string, value: unknown, fallback?: number): number {
  return checkInteger(
    { functionName: FUNCTION_NAME, argumentName: `options.${name}` },
    value,
    { min: 1, max: 1 << 16 },
    'keep fixture models tiny, e.g. vocabularySize 16 and hiddenSize 4.',
    fallback,
  );
}

function fieldOf(batch: ObjectiveBatchV1, fieldName: string): BatchField {
  const field = batch.fields[fieldName];
  if (field == null || field.dtype !== 'int32') {
    throw new InvalidArgumentError({
      functionName: 'TinyLanguageModel.apply',
      argumentName: `batch.fields.${fieldName}`,
      expected: 'an int32 field of token ids',
      received: field,
      fix: 'name the batch field that holds the token ids, e.g. logitModel("inputIds").',
    });
  }
  return field;
}

/** Creates a {@link TinyLanguageModel} with seeded normal weights. */
export function createTinyLanguageModel(options: TinyLanguageModelOptions): TinyLanguageModel {
  checkOptionsObject({ functionName: FUNCTION_NAME, argumentName: 'options' }, options, {
    required: ['vocabularySize'],
    allowed: ['vocabularySize', 'hiddenSize', 'seed', 'initialScale'],
  });
  const vocabularySize = checkSize('vocabularySize', options.vocabularySize);
  const hiddenSize = checkSize('hiddenSize', options.hiddenSize, 4);
  const scale = checkFiniteNumber(
    { functionName: FUNCTION_NAME, argumentName: 'options.initialScale' },
    options.initialScale,
    { min: 0, minExclusive: true },
    'pass a positive standard deviation, e.g. 0.5.',
    0.5,
  );
  const random = createRng(options.seed ?? 0);
  const prefix = `tiny-language-model-${++instances}`;
  const weight = (name: string, shape: number[]) => {
    const values = new Float32Array(shape.reduce((product, size) => product * size, 1));
    for (let index = 0; index < values.length; index++) values[index] = random.normal(0, scale);
    // tf.tidy frees the initial tensor; the variable itself survives it.
    return tf.tidy(() =>
      tf.variable(tf.tensor(values, shape, 'float32'), true, `${prefix}/${name}`),
    );
  };
  const embeddingTable = weight('embeddingTable', [vocabularySize, hiddenSize]);
  const mixingKernel = weight('mixingKernel', [hiddenSize, hiddenSize]);
  const mixingBias = weight('mixingBias', [hiddenSize]);
  const outputKernel = weight('outputKernel', [hiddenSize, vocabularySize]);
  const hiddenStates = (ids: BatchField) =>
    tf.tidy(() => {
      const embedded = embeddingLookup(
        embeddingTable,
        tf.tensor(ids.data, [...ids.shape], 'int32'),
      );
      return tf.tanh(linear(embedded, mixingKernel, mixingBias));
    });
  const logits = (ids: BatchField) => tf.tidy(() => linear(hiddenStates(ids), outputKernel));
  const variables = Object.freeze([embeddingTable, mixingKernel, mixingBias, outputKernel]);
  return Object.freeze({
    vocabularySize,
    hiddenSize,
    embeddingTable,
    mixingKernel,
    mixingBias,
    outputKernel,
    variables,
    hiddenStates,
    logits,
    logitModel: (fieldName: string) => ({
      variables,
      dispose: () => tf.dispose([...variables]),
      apply: (batch: ObjectiveBatchV1) => ({ logits: logits(fieldOf(batch, fieldName)) }),
    }),
    hiddenStateModel: (fieldName: string) => ({
      variables,
      dispose: () => tf.dispose([...variables]),
      apply: (batch: ObjectiveBatchV1) => ({
        hiddenStates: hiddenStates(fieldOf(batch, fieldName)),
        projection: { weight: outputKernel, layout: 'hidden-by-vocab' as const },
      }),
    }),
    dispose: () => tf.dispose([...variables]),
  });
}
