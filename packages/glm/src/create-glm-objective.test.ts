import {
  createRng,
  InvalidArgumentError,
  resolveObjective,
  ShapeMismatchError,
} from '@lm-objectives/core';
import {
  decodeArray,
  describeEachBackend,
  type EncodedArray,
  expectInvalidArgument,
  expectRelativelyClose,
  readGolden,
} from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createGlmObjective, GLM_OBJECTIVE_ID } from './create-glm-objective';
import { createGlmBatch } from './data/create-glm-batch';
import { createGlmSampleBuilder } from './data/create-glm-sample-builder';
import type { GlmBatch } from './glm-batch';
import { GLM_MODES, type GlmMode } from './glm-sample';

interface LossCase {
  loss: number;
  sums: Record<GlmMode, number>;
  accuracy: number;
}

interface Fixture {
  specialTokenIds: {
    clsTokenId: number;
    maskTokenId: number;
    sopTokenId: number;
    eopTokenId: number;
    gMaskTokenId: number;
    sMaskTokenId: number;
    padTokenId: number;
  };
  period: number;
  vocabularySize: number;
  hiddenSize: number;
  batch: Record<string, EncodedArray>;
  counts: Record<GlmMode, number>;
  logits: EncodedArray;
  logitsCase: LossCase & { logitsGradient: EncodedArray };
  hidden: EncodedArray;
  weight: EncodedArray;
  bias: EncodedArray;
  hiddenCase: LossCase & {
    hiddenGradient: EncodedArray;
    weightGradient: EncodedArray;
    biasGradient: EncodedArray;
  };
}

const fixture = readGolden<Fixture>(
  new URL('./__fixtures__/glm-loss.golden.json', import.meta.url),
);
const { period, specialTokenIds: specialTokens } = fixture;
const objective = createGlmObjective(specialTokens);

/** The fixture's batch, built by this package's own builder (the fixture lays it out independently). */
function fixtureBatch(): GlmBatch {
  const builder = objective.builder;
  const worked = [11, 12, 13, 14, 15, 16];
  const spans = [
    { start: 3, end: 4 },
    { start: 5, end: 7 },
  ];
  return createGlmBatch(
    [
      builder.buildWithSpans(worked, { spans, order: [1, 0] }),
      builder.buildDocument([11, 12, 13, 14, 15, 16, 17], { generationLength: 5 }),
      builder.buildWithSpans([11, 12, period, 13, 14, period, 15], {
        spans: [{ start: 4, end: 7 }],
        mode: 'sentence',
      }),
      builder.buildWithSpans(worked, { spans, order: [0, 1] }),
    ],
    specialTokens,
  );
}

const tensorOf = (encoded: EncodedArray) =>
  tf.tensor(decodeArray(encoded) as Float32Array, encoded.shape, 'float32');

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-30);
}

describe('the fixture batch', () => {
  it('is what the builder and createGlmBatch make, field by field, scored positions included', () => {
    const batch = fixtureBatch();
    for (const [name, encoded] of Object.entries(fixture.batch)) {
      const field = batch.fields[name as keyof GlmBatch['fields']];
      expect(field.shape, name).toEqual(encoded.shape);
      expect(Array.from(field.data), name).toEqual(Array.from(decodeArray(encoded)));
    }
    expect(batch.counts).toEqual(fixture.counts);
  });
});

describeEachBackend('createGlmObjective: computeLoss', () => {
  const batch = fixtureBatch();
  const total = GLM_MODES.reduce((sum, mode) => sum + fixture.counts[mode], 0);

  it('matches float64 PyTorch on logits: loss, parts and metrics', () => {
    const logits = tensorOf(fixture.logits);
    const { loss, parts, metrics } = objective.computeLoss({ outputs: { logits }, batch });
    const expected = fixture.logitsCase;
    expect(relativeError(loss.dataSync()[0]!, expected.loss)).toBeLessThan(1e-6);
    for (const mode of GLM_MODES) {
      const part = parts[mode];
      expect(relativeError(part.sum.dataSync()[0]!, expected.sums[mode])).toBeLessThan(1e-6);
      expect(part.count.dataSync()[0]).toBe(fixture.counts[mode]);
      // Each part's loss is its share of the total: sum_m / N over all Part B tokens.
      expect(relativeError(part.loss.dataSync()[0]!, expected.sums[mode] / total)).toBeLessThan(
        1e-6,
      );
    }
    expect(metrics['accuracy']!.dataSync()[0]).toBeCloseTo(expected.accuracy, 6);
    expect(metrics['blankRatio']!.dataSync()[0]).toBeCloseTo((3 + 5 + 3 + 3) / (7 + 8 + 8 + 7), 6);
    expect(metrics['spanCount']!.dataSync()[0]).toBe(6);
    tf.dispose([logits, loss, parts, metrics] as tf.TensorContainer);
  });

  it('matches float64 PyTorch for the gradient with respect to the logits', () => {
    const logits = tensorOf(fixture.logits);
    const gradient = tf.grad(
      (input: tf.Tensor) => objective.computeLoss({ outputs: { logits: input }, batch }).loss,
    )(logits);
    expectRelativelyClose(
      gradient.dataSync(),
      decodeArray(fixture.logitsCase.logitsGradient),
      1e-5,
      'logits gradient',
    );
    tf.dispose([logits, gradient]);
  });

  it('accepts flat logits [B·L, V] with the same result', () => {
    const logits = tensorOf(fixture.logits);
    const flat = tf.reshape(logits, [-1, fixture.vocabularySize]);
    const { loss, parts, metrics } = objective.computeLoss({ outputs: { logits: flat }, batch });
    expect(relativeError(loss.dataSync()[0]!, fixture.logitsCase.loss)).toBeLessThan(1e-6);
    tf.dispose([logits, flat, loss, parts, metrics] as tf.TensorContainer);
  });

  it('matches float64 PyTorch on hidden states with a tied projection and bias, with gradients', () => {
    const hidden = tensorOf(fixture.hidden);
    const weight = tensorOf(fixture.weight);
    const bias = tensorOf(fixture.bias);
    const outputs = (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => ({
      hiddenStates: h,
      projection: { weight: w, layout: 'vocab-by-hidden' as const, bias: b },
    });
    const { loss, parts, metrics } = objective.computeLoss({
      outputs: outputs(hidden, weight, bias),
      batch,
    });
    const expected = fixture.hiddenCase;
    expect(relativeError(loss.dataSync()[0]!, expected.loss)).toBeLessThan(1e-6);
    for (const mode of GLM_MODES) {
      expect(relativeError(parts[mode].sum.dataSync()[0]!, expected.sums[mode])).toBeLessThan(1e-6);
    }
    expect(metrics['accuracy']!.dataSync()[0]).toBeCloseTo(expected.accuracy, 6);
    const grads = tf.grads(
      (h: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        objective.computeLoss({ outputs: outputs(h, w, b), batch }).loss,
    )([hidden, weight, bias]);
    expectRelativelyClose(
      grads[0]!.dataSync(),
      decodeArray(expected.hiddenGradient),
      1e-5,
      'd hidden',
    );
    expectRelativelyClose(
      grads[1]!.dataSync(),
      decodeArray(expected.weightGradient),
      1e-5,
      'd weight',
    );
    expectRelativelyClose(grads[2]!.dataSync(), decodeArray(expected.biasGradient), 1e-5, 'd bias');
    tf.dispose([hidden, weight, bias, loss, parts, metrics, grads] as tf.TensorContainer);
  });

  it('normalises by the window totals given as numItemsInBatch', () => {
    const logits = tensorOf(fixture.logits);
    const numItemsInBatch = { span: 20, sentence: 8, document: 12 };
    const { loss, parts, metrics } = objective.computeLoss({
      outputs: { logits },
      batch,
      numItemsInBatch,
    });
    const sums = fixture.logitsCase.sums;
    expect(
      relativeError(loss.dataSync()[0]!, (sums.span + sums.sentence + sums.document) / 40),
    ).toBeLessThan(1e-6);
    expect(relativeError(parts.sentence.loss.dataSync()[0]!, sums.sentence / 40)).toBeLessThan(
      1e-5,
    );
    tf.dispose([logits, loss, parts, metrics] as tf.TensorContainer);
  });

  it('reports an absent mode as zeros, never NaN', () => {
    const builder = createGlmSampleBuilder({ ...specialTokens });
    const spansOnly = createGlmBatch(
      [builder.buildWithSpans([11, 12, 13], { spans: [{ start: 2, end: 3 }] })],
      specialTokens,
    );
    const logits = tf.randomNormal([1, spansOnly.dimensions['sequence']!, 24], 0, 1, 'float32', 3);
    const { loss, parts, metrics } = objective.computeLoss({
      outputs: { logits },
      batch: spansOnly,
    });
    for (const mode of ['sentence', 'document'] as const) {
      expect(Array.from(parts[mode].loss.dataSync())).toEqual([0]);
      expect(Array.from(parts[mode].count.dataSync())).toEqual([0]);
    }
    expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
    expect(loss.dataSync()[0]).toBeCloseTo(parts.span.loss.dataSync()[0]!, 6);
    tf.dispose([logits, loss, parts, metrics] as tf.TensorContainer);
  });

  it('trains: a few gradient steps on the logits lower the loss', () => {
    const initial = tensorOf(fixture.logits);
    const logits = tf.variable(initial);
    initial.dispose();
    const optimizer = tf.train.sgd(40);
    const lossOf = () => objective.computeLoss({ outputs: { logits }, batch }).loss;
    const before = tf.tidy(() => lossOf().dataSync()[0]!);
    for (let step = 0; step < 5; step++) optimizer.minimize(lossOf, true)?.dispose();
    const after = tf.tidy(() => lossOf().dataSync()[0]!);
    expect(after).toBeLessThan(before * 0.5);
    optimizer.dispose();
    logits.dispose();
  });

  it('refuses outputs that do not fit the batch', () => {
    const wrong = tf.zeros([4, 12, 24]);
    expect(() => objective.computeLoss({ outputs: { logits: wrong }, batch })).toThrow(
      ShapeMismatchError,
    );
    const integers = tf.zeros([4, 11, 24], 'int32');
    expect(() => objective.computeLoss({ outputs: { logits: integers }, batch })).toThrow(
      `${GLM_OBJECTIVE_ID} computeLoss: argument 'outputs.logits' is invalid`,
    );
    expect(() => objective.computeLoss({ outputs: {} as never, batch })).toThrow(
      InvalidArgumentError,
    );
    // Labels beyond the vocabulary (a model with too small an output layer).
    const small = tf.zeros([4, 11, 8]);
    expect(() => objective.computeLoss({ outputs: { logits: small }, batch })).toThrow(
      'an integer class id in [0, 8)',
    );
    tf.dispose([wrong, small, integers]);
  });

  it('refuses numItemsInBatch that is not an object of parts, names a wrong part, or undercounts', () => {
    const LOSS = `${GLM_OBJECTIVE_ID} computeLoss`;
    const logits = tensorOf(fixture.logits);
    const lossWith = (numItemsInBatch: unknown) => () =>
      objective.computeLoss({ outputs: { logits }, batch, numItemsInBatch } as never);
    expectInvalidArgument(lossWith(0), LOSS, 'numItemsInBatch', ['an object']);
    expectInvalidArgument(lossWith({ spans: 3 }), LOSS, 'numItemsInBatch.spans', [
      "did you mean 'span'?",
    ]);
    // A window total includes this batch, so it can never be below this batch's count (10 span tokens).
    expectInvalidArgument(lossWith({ span: 0 }), LOSS, 'numItemsInBatch.span', ['10']);
    expectInvalidArgument(lossWith({ document: 4 }), LOSS, 'numItemsInBatch.document');
    expectInvalidArgument(lossWith({ sentence: Number.NaN }), LOSS, 'numItemsInBatch.sentence');
    // The window total of a part this batch does not count may be anything ≥ 0.
    const { loss, parts, metrics } = objective.computeLoss({
      outputs: { logits },
      batch,
      numItemsInBatch: { span: 10, sentence: 4, document: 5 },
    });
    expect(relativeError(loss.dataSync()[0]!, fixture.logitsCase.loss)).toBeLessThan(1e-6);
    tf.dispose([logits, loss, parts, metrics] as tf.TensorContainer);
  });

  it('refuses a batch whose scored fields disagree with its counts', () => {
    const logits = tensorOf(fixture.logits);
    const tampered = { ...batch, counts: { ...batch.counts, span: batch.counts.span - 1 } };
    expectInvalidArgument(
      () => objective.computeLoss({ outputs: { logits }, batch: tampered }),
      `${GLM_OBJECTIVE_ID} computeLoss`,
      'batch',
      ['scoredPositions'],
    );
    logits.dispose();
  });
});

describe('createGlmObjective: the contract and the data side', () => {
  const texts = [
    Array.from({ length: 40 }, (_, index) => 20 + index),
    Array.from({ length: 9 }, (_, index) => 30 + index),
    [40, 41],
  ];

  it("is a v1 objective with id 'glm/blank-infilling' and parts span, sentence, document", () => {
    expect(resolveObjective(objective)).toBe(objective);
    expect(objective.specificationVersion).toBe('v1');
    expect(objective.objectiveId).toBe(GLM_OBJECTIVE_ID);
    expect(objective.partNames).toEqual(['span', 'sentence', 'document']);
    expect(objective.trainableWeights()).toEqual([]);
    expect(Object.keys(objective.batchFields)).toContain('blockPositionIds');
  });

  it('makes batches that pass the declared fields, identical for the same seed', () => {
    const mixed = createGlmObjective({
      ...specialTokens,
      spanProbability: 0.4,
      sentenceProbability: 0.3,
      sentenceSplitter: (text) => Array.from(text.keys()).filter((index) => index % 4 === 3),
      padToMultipleOf: 8,
    });
    const first = mixed.createBatch(texts, { random: createRng(21) });
    expect(first.dimensions['sequence']! % 8).toBe(0);
    expect(mixed.createBatch(texts, { random: createRng(21) })).toEqual(first);
    expect(mixed.createBatch(texts, { random: createRng(22) })).not.toEqual(first);
  });

  it('draws one mode per batch with modeChoice per-batch', () => {
    const perBatch = createGlmObjective({
      ...specialTokens,
      spanProbability: 0.5,
      modeChoice: 'per-batch',
    });
    const random = createRng(4);
    const seen = new Set<number>();
    for (let trial = 0; trial < 20; trial++) {
      const modes = new Set(perBatch.createBatch(texts, { random }).fields.modes.data);
      expect(modes.size).toBe(1);
      seen.add([...modes][0]!);
    }
    expect(seen).toEqual(new Set([0, 2]));
  });

  it('refuses bad objective options and empty batches', () => {
    const FACTORY = 'createGlmObjective';
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, modeChoice: 'each' as never }),
      FACTORY,
      'options.modeChoice',
    );
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, maxLength: 0 }),
      FACTORY,
      'options.maxLength',
    );
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, labelSmoothing: 2 }),
      FACTORY,
      'options.labelSmoothing',
    );
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, padToMultipleOf: -8 }),
      FACTORY,
      'options.padToMultipleOf',
    );
    expectInvalidArgument(() => createGlmObjective(undefined as never), FACTORY, 'options');
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, labelSmothing: 0.1 } as never),
      FACTORY,
      'options.labelSmothing',
      ["did you mean 'labelSmoothing'?"],
    );
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, max_length: 64 } as never),
      FACTORY,
      'options.max_length',
      ["did you mean 'maxLength'?"],
    );
    expectInvalidArgument(
      () => createGlmObjective({ ...specialTokens, maskTokenId: specialTokens.sopTokenId }),
      FACTORY,
      'options.sopTokenId',
      [`options.maskTokenId and options.sopTokenId are both ${specialTokens.sopTokenId}`],
    );
    expectInvalidArgument(
      () => objective.createBatch([], { random: createRng(1) }),
      `${GLM_OBJECTIVE_ID} createBatch`,
      'examples',
    );
    const fixed = createGlmObjective({ ...specialTokens, maxLength: 8 });
    expectInvalidArgument(
      () => fixed.createBatch(texts, { random: createRng(1) }),
      `${GLM_OBJECTIVE_ID} createBatch`,
      'examples[0]',
      ['at most maxLength = 8'],
      'shape',
    );
  });

  it('takes built samples as examples beside texts', () => {
    const document = objective.builder.buildDocument([11, 12, 13, 14], { generationLength: 3 });
    const batch = objective.createBatch([texts[0]!, document], { random: createRng(2) });
    expect(batch.samples[1]).toBe(document);
    expect(batch.fields.modes.data[1]).toBe(2);
  });
});
