import { createRng, IGNORE_INDEX, InvalidArgumentError } from '@lm-objectives/core';
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
import type { BertBatch } from './bert-batch';
import type { BertObjectiveOptions } from './bert-options';
import { type BertObjective, createBertObjective } from './create-bert-objective';
import { createNextSentencePairBuilder } from './data/create-next-sentence-pair-builder';
import { MASK_ACTION } from './data/mask-action';
import type { BertModelOutputs } from './loss/bert-model-outputs';

interface PartExpectation {
  loss: number;
  sum: number;
  count: number;
}

interface HeadCase {
  name: string;
  dimensions: {
    batch: number;
    sequence: number;
    hidden: number;
    vocabulary: number;
    predictions: number;
  };
  inputs: Record<string, EncodedArray>;
  maskedPositions: EncodedArray;
  maskedIds: EncodedArray;
  maskedWeights: EncodedArray;
  nextSentenceLabels: EncodedArray;
  numItemsInBatch?: Record<string, number>;
  expected: {
    loss: number;
    maskedLm: PartExpectation;
    nextSentence: PartExpectation;
    maskedLmAccuracy: number;
    nextSentenceAccuracy: number;
    gradients: Record<string, EncodedArray>;
  };
}

const golden = readGolden<{ weightNames: string[]; cases: HeadCase[] }>(
  new URL('./__fixtures__/bert-heads.golden.json', import.meta.url),
);

const SPECIALS = { padTokenId: 0, clsTokenId: 1, sepTokenId: 2, maskTokenId: 3 } as const;

/**
 * The batch arrays of a fixture case, as the objective's data side would lay them out: the
 * fixture's gathered `[B, P]` slots, and from them the dense labels and the flat scored positions
 * $b \cdot L + t$ of the slots of weight 1.
 */
function batchOf(testCase: HeadCase): BertBatch {
  const { batch, sequence, predictions } = testCase.dimensions;
  const positions = decodeArray(testCase.maskedPositions) as Int32Array;
  const ids = decodeArray(testCase.maskedIds) as Int32Array;
  const weights = decodeArray(testCase.maskedWeights) as Float32Array;
  const labels = new Int32Array(batch * sequence).fill(IGNORE_INDEX);
  const scoredPositions: number[] = [];
  const scoredLabels: number[] = [];
  weights.forEach((weight, slot) => {
    if (weight === 0) return;
    const flat = Math.floor(slot / predictions) * sequence + positions[slot]!;
    labels[flat] = ids[slot]!;
    scoredPositions.push(flat);
    scoredLabels.push(ids[slot]!);
  });
  const scored = scoredPositions.length;
  const sequenceShape = [batch, sequence];
  return {
    size: batch,
    dimensions: { batch, sequence, predictions, scored },
    fields: {
      inputIds: { dtype: 'int32', shape: sequenceShape, data: new Int32Array(batch * sequence) },
      tokenTypeIds: {
        dtype: 'int32',
        shape: sequenceShape,
        data: new Int32Array(batch * sequence),
      },
      attentionMask: {
        dtype: 'bool',
        shape: sequenceShape,
        data: new Uint8Array(batch * sequence).fill(1),
      },
      labels: { dtype: 'int32', shape: sequenceShape, data: labels },
      maskedPositions: { dtype: 'int32', shape: [batch, predictions], data: positions },
      maskedIds: { dtype: 'int32', shape: [batch, predictions], data: ids },
      maskedWeights: { dtype: 'float32', shape: [batch, predictions], data: weights },
      scoredPositions: { dtype: 'int32', shape: [scored], data: Int32Array.from(scoredPositions) },
      scoredLabels: { dtype: 'int32', shape: [scored], data: Int32Array.from(scoredLabels) },
      nextSentenceLabels: {
        dtype: 'int32',
        shape: [batch],
        data: decodeArray(testCase.nextSentenceLabels) as Int32Array,
      },
    },
    counts: { maskedLm: scored, nextSentence: batch },
    maskActions: new Uint8Array(batch * sequence),
  };
}

/** The head weights of an objective by their fixture names. */
function namedWeights(objective: BertObjective): Record<string, tf.Variable> {
  const { maskedLm, nextSentence } = objective.weights;
  return {
    ...maskedLm,
    poolerKernel: nextSentence.poolerKernel!,
    poolerBias: nextSentence.poolerBias!,
    classifierKernel: nextSentence.classifierKernel,
    classifierBias: nextSentence.classifierBias,
  };
}

/** An objective for a fixture case, with the case's head weights assigned. */
function objectiveFor(
  testCase: HeadCase,
  options: Partial<BertObjectiveOptions> = {},
): BertObjective {
  const objective = createBertObjective({
    ...SPECIALS,
    vocabularySize: testCase.dimensions.vocabulary,
    hiddenSize: testCase.dimensions.hidden,
    ...options,
  });
  const weights = namedWeights(objective);
  for (const name of golden.weightNames) {
    const encoded = testCase.inputs[name]!;
    tf.tidy(() => weights[name]!.assign(tf.tensor(decodeArray(encoded), encoded.shape, 'float32')));
  }
  return objective;
}

function inputTensor(testCase: HeadCase, name: string): tf.Tensor {
  const encoded = testCase.inputs[name]!;
  return tf.tensor(decodeArray(encoded), encoded.shape, 'float32');
}

/** Loss, parts and metrics as numbers (every tensor freed). */
function lossValues(
  objective: BertObjective,
  outputs: BertModelOutputs,
  batch: BertBatch,
  numItemsInBatch?: Record<string, number>,
) {
  const result = objective.computeLoss({ outputs, batch, numItemsInBatch });
  const read = (tensor: tf.Tensor) => tensor.dataSync()[0]!;
  const values = {
    loss: read(result.loss),
    maskedLm: {
      loss: read(result.parts.maskedLm.loss),
      sum: read(result.parts.maskedLm.sum),
      count: read(result.parts.maskedLm.count),
    },
    nextSentence: {
      loss: read(result.parts.nextSentence.loss),
      sum: read(result.parts.nextSentence.sum),
      count: read(result.parts.nextSentence.count),
    },
    metrics: Object.fromEntries(
      Object.entries(result.metrics).map(([name, value]) => [name, read(value)]),
    ),
  };
  tf.dispose([
    result.loss,
    ...Object.values(result.parts).flatMap((part) => [part.loss, part.sum, part.count]),
    ...Object.values(result.metrics),
  ]);
  return values;
}

/**
 * Gradients of the total loss with respect to the hidden states, the table and every head weight.
 * Takes ownership of `hidden` and `table` (they are disposed).
 */
function gradientsOf(
  objective: BertObjective,
  hidden: tf.Tensor,
  table: tf.Tensor,
  batch: BertBatch,
  numItemsInBatch?: Record<string, number>,
) {
  const hiddenVariable = tf.variable(hidden);
  const tableVariable = tf.variable(table);
  tf.dispose([hidden, table]);
  const weights = namedWeights(objective);
  const order: [string, tf.Variable][] = [
    ['hiddenStates', hiddenVariable],
    ['embeddingTable', tableVariable],
    ...golden.weightNames.map((name) => [name, weights[name]!] as [string, tf.Variable]),
  ];
  const { value, grads } = tf.variableGrads(
    () =>
      objective.computeLoss({
        outputs: { hiddenStates: hiddenVariable, embeddingTable: tableVariable },
        batch,
        numItemsInBatch,
      }).loss,
    order.map(([, variable]) => variable),
  );
  const result = Object.fromEntries(
    order.map(([name, variable]) => [name, grads[variable.name]!.dataSync().slice()]),
  );
  tf.dispose([value, hiddenVariable, tableVariable, ...Object.values(grads)]);
  return result as Record<string, Float32Array>;
}

describeEachBackend('createBertObjective: loss and gradients against float64 PyTorch', () => {
  for (const testCase of golden.cases) {
    it(`${testCase.name}: total, parts (sum/count) and accuracies within 1e-6 relative`, () => {
      const objective = objectiveFor(testCase);
      const hidden = inputTensor(testCase, 'hiddenStates');
      const table = inputTensor(testCase, 'embeddingTable');
      const actual = lossValues(
        objective,
        { hiddenStates: hidden, embeddingTable: table },
        batchOf(testCase),
        testCase.numItemsInBatch,
      );
      const { expected } = testCase;
      expectRelativelyClose([actual.loss], [expected.loss], 1e-6, 'loss');
      for (const part of ['maskedLm', 'nextSentence'] as const) {
        expectRelativelyClose(
          [actual[part].loss, actual[part].sum],
          [expected[part].loss, expected[part].sum],
          1e-6,
          part,
        );
        expect(actual[part].count).toBe(expected[part].count);
      }
      expect(actual.metrics['maskedLmAccuracy']).toBeCloseTo(expected.maskedLmAccuracy, 6);
      expect(actual.metrics['nextSentenceAccuracy']).toBeCloseTo(expected.nextSentenceAccuracy, 6);
      expect(Number.isFinite(actual.loss)).toBe(true);
      tf.dispose([hidden, table]);
      objective.dispose();
    });

    it(`${testCase.name}: gradients w.r.t. hidden states, tied table and all 9 head weights within 2e-5 of the largest entry`, () => {
      const objective = objectiveFor(testCase);
      const gradients = gradientsOf(
        objective,
        inputTensor(testCase, 'hiddenStates'),
        inputTensor(testCase, 'embeddingTable'),
        batchOf(testCase),
        testCase.numItemsInBatch,
      );
      for (const [name, encoded] of Object.entries(testCase.expected.gradients)) {
        expectRelativelyClose(gradients[name]!, decodeArray(encoded), 2e-5, `∂loss/∂${name}`);
      }
      objective.dispose();
    });
  }
});

/** A real batch from the data side: pairs from a random corpus, masked, padded to 32. */
function realBatch(objective: BertObjective, seed: number, batchSize = 3): BertBatch {
  const random = createRng(seed);
  const documents = Array.from({ length: 6 }, () =>
    Array.from({ length: random.int(2, 6) }, () =>
      Array.from({ length: random.int(2, 9) }, () => random.int(10, 59)),
    ),
  );
  const { examples } = createNextSentencePairBuilder({
    clsTokenId: 1,
    sepTokenId: 2,
    maxLength: 32,
  }).build(documents, random);
  return objective.createBatch(examples.slice(0, batchSize), { random });
}

describeEachBackend('createBertObjective: the heads', () => {
  const options = {
    ...SPECIALS,
    vocabularySize: 60,
    hiddenSize: 16,
    maxLength: 32,
    padding: 'max-length',
    seed: 3,
  } as const;

  it('gathers first and gets the same loss and gradients as scoring every position against the dense labels', () => {
    const gatherFirst = createBertObjective(options);
    const allPositions = createBertObjective({ ...options, maskedLmScoring: 'all-positions' });
    const batch = realBatch(gatherFirst, 5);
    expect(batch.counts.maskedLm).toBeGreaterThan(3);
    const random = createRng(6);
    const hiddenValues = Float32Array.from({ length: 3 * 32 * 16 }, () => random.normal());
    const tableValues = Float32Array.from({ length: 60 * 16 }, () => random.normal(0, 0.5));
    const tensors = () =>
      [tf.tensor3d(hiddenValues, [3, 32, 16]), tf.tensor2d(tableValues, [60, 16])] as const;
    const [hiddenA, tableA] = tensors();
    const first = lossValues(gatherFirst, { hiddenStates: hiddenA, embeddingTable: tableA }, batch);
    const second = lossValues(
      allPositions,
      { hiddenStates: hiddenA, embeddingTable: tableA },
      batch,
    );
    expectRelativelyClose(
      [first.loss, first.maskedLm.sum],
      [second.loss, second.maskedLm.sum],
      1e-5,
      'loss',
    );
    expect(first.maskedLm.count).toBe(batch.counts.maskedLm);
    expect(second.maskedLm.count).toBe(batch.counts.maskedLm);
    expect(first.metrics).toEqual(second.metrics);
    tf.dispose([hiddenA, tableA]);
    const gradientsFirst = gradientsOf(gatherFirst, ...tensors(), batch);
    const gradientsSecond = gradientsOf(allPositions, ...tensors(), batch);
    for (const name of Object.keys(gradientsFirst)) {
      expectRelativelyClose(gradientsFirst[name]!, gradientsSecond[name]!, 1e-5, name);
    }
    gatherFirst.dispose();
    allPositions.dispose();
  });

  it('gives a masked-LM loss of 0 with zero, finite gradients when nothing is masked', () => {
    const objective = createBertObjective({
      ...options,
      masking: { selection: 'bernoulli', selectionRatio: 0 },
    });
    const batch = realBatch(objective, 7);
    expect(batch.fields.scoredPositions.data).toHaveLength(0);
    expect(batch.fields.labels.data.every((label) => label === IGNORE_INDEX)).toBe(true);
    const [hidden, table] = [
      tf.randomNormal([3, 32, 16], 0, 1, 'float32', 1),
      tf.randomNormal([60, 16], 0, 1, 'float32', 2),
    ];
    const values = lossValues(objective, { hiddenStates: hidden, embeddingTable: table }, batch);
    expect(values.maskedLm).toEqual({ loss: 0, sum: 0, count: 0 });
    expect(values.loss).toBe(values.nextSentence.loss);
    const gradients = gradientsOf(objective, hidden, table, batch);
    for (const name of [
      'embeddingTable',
      'transformKernel',
      'transformBias',
      'layerNormGamma',
      'layerNormBeta',
      'outputBias',
    ]) {
      expect(
        gradients[name]!.every((value) => value === 0),
        name,
      ).toBe(true);
    }
    expect(gradients['hiddenStates']!.every(Number.isFinite)).toBe(true);
    objective.dispose();
  });

  it('exposes 9 trainable variables, initialised from a truncated normal (σ = 0.02, cut at 2σ), zeros and ones', () => {
    const objective = createBertObjective({ ...options, hiddenSize: 64 });
    const weights = objective.trainableWeights();
    expect(weights.map((weight) => weight.shape)).toEqual([
      [64, 64],
      [64],
      [64],
      [64],
      [60],
      [64, 64],
      [64],
      [64, 2],
      [2],
    ]);
    expect(weights.every((weight) => weight.trainable)).toBe(true);
    expect(new Set(weights.map((weight) => weight.name)).size).toBe(9);
    const kernel = Array.from(objective.weights.maskedLm.transformKernel.dataSync());
    const mean = kernel.reduce((sum, value) => sum + value, 0) / kernel.length;
    const std = Math.sqrt(
      kernel.reduce((sum, value) => sum + (value - mean) ** 2, 0) / kernel.length,
    );
    expect(Math.max(...kernel.map(Math.abs))).toBeLessThanOrEqual(0.04);
    // A normal truncated at ±2σ has standard deviation 0.88σ ≈ 0.0176.
    expect(Math.abs(std - 0.0176)).toBeLessThan(0.001);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    expect(objective.weights.maskedLm.layerNormGamma.dataSync().every((value) => value === 1)).toBe(
      true,
    );
    expect(objective.weights.maskedLm.outputBias.dataSync().every((value) => value === 0)).toBe(
      true,
    );
    const same = createBertObjective({ ...options, hiddenSize: 64 });
    const other = createBertObjective({ ...options, hiddenSize: 64, seed: 4 });
    expect(Array.from(same.weights.maskedLm.transformKernel.dataSync())).toEqual(kernel);
    expect(Array.from(other.weights.maskedLm.transformKernel.dataSync())).not.toEqual(kernel);
    expect(same.trainableWeights()[0]!.name).not.toBe(weights[0]!.name);
    for (const each of [objective, same, other]) each.dispose();
  });

  it("uses the model's pooled output with pooler: 'model', and owns no pooler then", () => {
    const objective = createBertObjective({ ...options, pooler: 'model' });
    expect(objective.trainableWeights()).toHaveLength(7);
    expect(objective.weights.nextSentence.poolerKernel).toBeUndefined();
    const batch = realBatch(objective, 8);
    const hidden = tf.randomNormal([3, 32, 16], 0, 1, 'float32', 3);
    const table = tf.randomNormal([60, 16], 0, 1, 'float32', 4);
    const pooled = tf.zeros([3, 16]);
    const values = lossValues(
      objective,
      { hiddenStates: hidden, embeddingTable: table, pooledOutput: pooled },
      batch,
    );
    // Zero pooled output and a zero classifier bias give logits (0, 0): the NSP loss is ln 2.
    expect(values.nextSentence.loss).toBeCloseTo(Math.log(2), 6);
    tf.dispose([hidden, table, pooled]);
    objective.dispose();
  });

  it('trains: 15 SGD steps on the heads lower the loss on a fixed batch', () => {
    const objective = createBertObjective(options);
    const batch = realBatch(objective, 9);
    const hidden = tf.randomNormal([3, 32, 16], 0, 1, 'float32', 5);
    const table = tf.tidy(() => tf.variable(tf.randomNormal([60, 16], 0, 0.5, 'float32', 6)));
    const optimizer = tf.train.sgd(0.5);
    const step = () =>
      optimizer.minimize(
        () =>
          objective.computeLoss({ outputs: { hiddenStates: hidden, embeddingTable: table }, batch })
            .loss,
        true,
        [...objective.trainableWeights(), table],
      )!;
    const first = step();
    const before = first.dataSync()[0]!;
    first.dispose();
    for (let index = 0; index < 14; index++) step().dispose();
    const last = lossValues(objective, { hiddenStates: hidden, embeddingTable: table }, batch).loss;
    expect(last).toBeLessThan(before * 0.7);
    tf.dispose([hidden, table]);
    optimizer.dispose();
    objective.dispose();
  });

  it('frees its variables on dispose and refuses to compute afterwards', () => {
    const before = tf.memory().numTensors;
    const objective = createBertObjective(options);
    expect(tf.memory().numTensors).toBe(before + 9);
    const batch = realBatch(objective, 10);
    objective.dispose();
    objective.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const hidden = tf.zeros([3, 32, 16]);
    const table = tf.zeros([60, 16]);
    expectInvalidArgument(
      () =>
        objective.computeLoss({ outputs: { hiddenStates: hidden, embeddingTable: table }, batch }),
      'bert/mlm-nsp computeLoss',
      'objective',
      ['after dispose()'],
    );
    tf.dispose([hidden, table]);
  });

  it('refuses outputs of the wrong shape or kind, and batches without the BERT fields', () => {
    const objective = createBertObjective(options);
    const batch = realBatch(objective, 11);
    const fn = 'bert/mlm-nsp computeLoss';
    const table = tf.zeros([60, 16]);
    const hidden = tf.zeros([3, 32, 16]);
    const run =
      (outputs: unknown, useBatch: unknown = batch) =>
      () =>
        objective.computeLoss({
          outputs: outputs as BertModelOutputs,
          batch: useBatch as BertBatch,
        });
    const wrongHidden = tf.zeros([3, 32, 8]);
    expectInvalidArgument(
      run({ hiddenStates: wrongHidden, embeddingTable: table }),
      fn,
      'outputs.hiddenStates',
      ['hidden=16'],
      'shape',
    );
    const flat = tf.zeros([96, 16]);
    expectInvalidArgument(
      run({ hiddenStates: flat, embeddingTable: table }),
      fn,
      'outputs.hiddenStates',
      ['[batch=3, sequence=32, hidden=16]'],
      'shape',
    );
    const integers = tf.zeros([3, 32, 16], 'int32');
    expectInvalidArgument(
      run({ hiddenStates: integers, embeddingTable: table }),
      fn,
      'outputs.hiddenStates',
      ['float32'],
    );
    const wrongTable = tf.zeros([59, 16]);
    expectInvalidArgument(
      run({ hiddenStates: hidden, embeddingTable: wrongTable }),
      fn,
      'outputs.embeddingTable',
      ['vocabulary=60'],
      'shape',
    );
    expectInvalidArgument(run({ hiddenStates: hidden }), fn, 'outputs.embeddingTable');
    expectInvalidArgument(run(undefined), fn, 'outputs');
    expectInvalidArgument(
      run(
        { hiddenStates: hidden, embeddingTable: table },
        { ...batch, fields: { inputIds: batch.fields.inputIds } },
      ),
      fn,
      'batch',
      ['maskedPositions'],
    );
    const misplaced = Int32Array.from(batch.fields.scoredPositions.data);
    misplaced[0] = 3 * 32;
    expectInvalidArgument(
      run(
        { hiddenStates: hidden, embeddingTable: table },
        {
          ...batch,
          fields: {
            ...batch.fields,
            scoredPositions: { ...batch.fields.scoredPositions, data: misplaced },
          },
        },
      ),
      fn,
      'batch.fields.scoredPositions[0]',
      ['[0, 96)'],
    );
    const pooledObjective = createBertObjective({ ...options, pooler: 'model' });
    expectInvalidArgument(
      () =>
        pooledObjective.computeLoss({
          outputs: { hiddenStates: hidden, embeddingTable: table },
          batch,
        }),
      fn,
      'outputs.pooledOutput',
      ["pooler: 'model'"],
    );
    tf.dispose([table, hidden, wrongHidden, flat, integers, wrongTable]);
    objective.dispose();
    pooledObjective.dispose();
  });
});

describe('createBertObjective: the data side', () => {
  const options = { ...SPECIALS, vocabularySize: 60, hiddenSize: 8 };

  it('builds a checked batch: padded pairs, the dense, gathered and flat label forms, NSP labels and the counts of both parts', () => {
    const objective = createBertObjective({ ...options, maxLength: 32, padding: 'max-length' });
    const batch = realBatch(objective, 20, 4);
    expect(objective.objectiveId).toBe('bert/mlm-nsp');
    expect(objective.specificationVersion).toBe('v1');
    expect(objective.partNames).toEqual(['maskedLm', 'nextSentence']);
    // ⌈32 · 0.15⌉ = 5 gathered slots per row.
    expect(batch.dimensions).toEqual({
      batch: 4,
      sequence: 32,
      predictions: 5,
      scored: batch.counts.maskedLm,
    });
    const { inputIds, labels, attentionMask, tokenTypeIds, maskedWeights, nextSentenceLabels } =
      batch.fields;
    expect(inputIds.shape).toEqual([4, 32]);
    expect(batch.counts.maskedLm).toBe(maskedWeights.data.reduce((sum, weight) => sum + weight, 0));
    expect(batch.fields.scoredPositions.shape).toEqual([batch.counts.maskedLm]);
    expect(batch.counts.nextSentence).toBe(4);
    expect(Array.from(nextSentenceLabels.data).every((label) => label === 0 || label === 1)).toBe(
      true,
    );
    let selected = 0;
    for (let index = 0; index < 4 * 32; index++) {
      const action = batch.maskActions[index]!;
      if (action !== MASK_ACTION.none) selected++;
      if (attentionMask.data[index] === 0) {
        expect(inputIds.data[index]).toBe(SPECIALS.padTokenId);
        expect(tokenTypeIds.data[index]).toBe(0);
      }
      // [CLS], [SEP] and [PAD] are never selected (the masker knows them from the objective).
      const original = labels.data[index]!;
      if (original !== IGNORE_INDEX) expect(original).toBeGreaterThanOrEqual(10);
      if (action === MASK_ACTION.masked) expect(inputIds.data[index]).toBe(SPECIALS.maskTokenId);
    }
    expect(selected).toBe(batch.counts.maskedLm);
    objective.dispose();
  });

  it('passes masking options to its masker, with [CLS], [SEP] and specialTokenIds never selected', () => {
    const objective = createBertObjective({
      ...options,
      specialTokenIds: [10],
      masking: { selection: 'bernoulli', selectionRatio: 0.3 },
    });
    expect(objective.masker.options.selection).toBe('bernoulli');
    expect(objective.masker.options.selectionRatio).toBe(0.3);
    expect(Array.from(objective.masker.options.specialTokenIds)).toEqual([1, 2, 10]);
    objective.dispose();
  });

  it('explains its batches: the explanation is explainBertBatch with its four special ids and specialTokenIds', () => {
    const objective = createBertObjective({ ...options, specialTokenIds: [10] });
    const batch = realBatch(objective, 21, 2);
    const { rows } = objective.explainBatch!(batch);
    expect(rows).toHaveLength(2);
    const length = batch.dimensions['sequence']!;
    rows.forEach((row, b) => {
      row.tokens.forEach((token, t) => {
        const index = b * length + t;
        const id = batch.fields.inputIds.data[index]!;
        if (batch.fields.attentionMask.data[index] === 0) expect(token.action).toBe('padding');
        else if (batch.maskActions[index] === MASK_ACTION.none) {
          expect(token.action).toBe([1, 2, 10].includes(id) ? 'special' : 'context');
        }
      });
    });
    objective.dispose();
  });

  it.each([
    [
      'an unknown option, suggesting the closest name',
      { maxlength: 128 },
      'options.maxlength',
      "did you mean 'maxLength'",
    ],
    [
      'an option under its name before 0.1, naming the new one',
      { sequenceLength: 128 },
      'options.sequenceLength',
      "use maxLength with padding: 'max-length' instead",
    ],
    [
      'unselectableTokenIds in masking, pointing to the top-level specialTokenIds',
      { masking: { unselectableTokenIds: [10] } },
      'options.masking.unselectableTokenIds',
      'use options.specialTokenIds (top level) instead',
    ],
    [
      'an unknown masking option, suggesting the closest name',
      { masking: { selection_ratio: 0.2 } },
      'options.masking.selection_ratio',
      "did you mean 'selectionRatio'",
    ],
    [
      'a masking option the objective sets itself',
      { masking: { maskTokenId: 4 } },
      'options.masking.maskTokenId',
      '',
    ],
    ['hiddenSize 0', { hiddenSize: 0 }, 'options.hiddenSize', ''],
    ['a clsTokenId outside the vocabulary', { clsTokenId: 60 }, 'options.clsTokenId', ''],
    [
      '[CLS] = [MASK]',
      { clsTokenId: SPECIALS.maskTokenId },
      'options.maskTokenId',
      'options.clsTokenId',
    ],
    [
      '[SEP] = [PAD]',
      { sepTokenId: SPECIALS.padTokenId },
      'options.padTokenId',
      'options.sepTokenId',
    ],
    [
      'a special id outside the vocabulary',
      { specialTokenIds: [60] },
      'options.specialTokenIds[0]',
      '',
    ],
    ["padding: 'max-length' without maxLength", { padding: 'max-length' }, 'options.maxLength', ''],
    ["maskedLmScoring 'dense'", { maskedLmScoring: 'dense' }, 'options.maskedLmScoring', ''],
    ['layerNormEpsilon 0', { layerNormEpsilon: 0 }, 'options.layerNormEpsilon', ''],
    ['a negative initializerRange', { initializerRange: -0.02 }, 'options.initializerRange', ''],
    ["metrics 'yes'", { metrics: 'yes' }, 'options.metrics', ''],
    ['a fractional seed', { seed: 1.5 }, 'options.seed', ''],
  ])('refuses %s', (_, change, argumentName, fragment) => {
    const error = expectInvalidArgument(
      () => createBertObjective({ ...options, ...change } as BertObjectiveOptions),
      'createBertObjective',
      argumentName,
      fragment ? [fragment] : [],
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});
