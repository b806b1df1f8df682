import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend, expectInvalidArgument } from '../../../test/backends';
import { ShapeMismatchError } from '../../errors/shape-mismatch-error';
import { UnsupportedSpecificationVersionError } from '../../errors/unsupported-specification-version-error';
import { crossEntropy } from '../../ops/cross-entropy';
import { tokenAccuracy } from '../../ops/token-accuracy';
import { createRng } from '../../random/create-rng';
import { tidyResult } from '../../validation/tidy-result';
import type { BatchField, BatchFieldSpec } from './batch-field';
import { defineObjective, type ObjectiveDefinition } from './define-objective';
import { IGNORE_INDEX } from './ignore-index';
import type { CreateBatchOptions, LossObjectiveV1, ObjectiveLossResult } from './loss-objective-v1';
import type { LogitScores } from './model-outputs';
import type { ObjectiveBatchV1 } from './objective-batch';

// A toy next-token objective, written the way a plugin author would: examples are token-id arrays,
// rows are taken in a shuffled order (so the random source matters), right-padded with PAD_ID.

const PAD_ID = 0;
const VOCABULARY_SIZE = 10;

type Example = readonly number[];

interface ToyBatch extends ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', 'nextToken'> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'bool'>;
  };
  /** Which example each row holds (the shuffled order). */
  readonly order: readonly number[];
}

const TOY_FIELDS: Record<string, BatchFieldSpec> = {
  inputIds: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description: `token ids, right-padded with ${PAD_ID}`,
  },
  labels: {
    dtype: 'int32',
    dimensions: ['batch', 'sequence'],
    description: 'the input ids, aligned with them, with padding set to the ignore index',
  },
  attentionMask: {
    dtype: 'bool',
    dimensions: ['batch', 'sequence'],
    description: '1 for a real token, 0 for padding',
  },
};

function createToyBatch(examples: readonly Example[], { random }: CreateBatchOptions): ToyBatch {
  const order = random.shuffle(examples.map((_, index) => index));
  const batchSize = examples.length;
  const length = Math.max(...examples.map((example) => example.length));
  const inputIds = new Int32Array(batchSize * length).fill(PAD_ID);
  const labels = new Int32Array(batchSize * length).fill(IGNORE_INDEX);
  const attentionMask = new Uint8Array(batchSize * length);
  let counted = 0;
  order.forEach((exampleIndex, row) => {
    const example = examples[exampleIndex]!;
    example.forEach((id, position) => {
      inputIds[row * length + position] = id;
      labels[row * length + position] = id;
      attentionMask[row * length + position] = 1;
    });
    // With the causal shift, position t predicts label t + 1: a row of n tokens scores n − 1.
    counted += Math.max(example.length - 1, 0);
  });
  const shape = [batchSize, length];
  return {
    size: batchSize,
    dimensions: { batch: batchSize, sequence: length },
    fields: {
      inputIds: { dtype: 'int32', shape, data: inputIds },
      labels: { dtype: 'int32', shape, data: labels },
      attentionMask: { dtype: 'bool', shape, data: attentionMask },
    },
    counts: { nextToken: counted },
    order,
  };
}

function toyDefinition(): ObjectiveDefinition<Example, ToyBatch, LogitScores, 'nextToken'> {
  return {
    objectiveId: 'test/next-token',
    description: 'Next-token prediction over whole sequences.',
    partNames: ['nextToken'],
    batchFields: TOY_FIELDS,
    createBatch: createToyBatch,
    computeLoss({ outputs, batch, numItemsInBatch }) {
      const labels = batch.fields.labels.data;
      const nextToken = crossEntropy(outputs.logits, labels, {
        shift: true,
        numItemsInBatch: numItemsInBatch?.['nextToken'],
      });
      const { accuracy, correct, count } = tokenAccuracy(outputs.logits, labels, { shift: true });
      tf.dispose([correct, count]);
      return { loss: nextToken.loss, parts: { nextToken }, metrics: { accuracy } };
    },
  };
}

const toyObjective = defineObjective(toyDefinition());

const EXAMPLES: readonly Example[] = [[5, 6, 7], [8, 9], [4], [1, 2, 3, 4, 5], [9, 9, 1, 2]];

/** The toy objective with `createBatch` replaced by one returning `alter(good batch)`. */
function objectiveReturning(alter: (batch: ToyBatch) => unknown) {
  return defineObjective<Example, ToyBatch, LogitScores, 'nextToken'>({
    ...toyDefinition(),
    createBatch: (examples, options) => alter(createToyBatch(examples, options)) as ToyBatch,
  });
}

function makeBatch(objective = toyObjective, seed = 1): ToyBatch {
  return objective.createBatch(EXAMPLES, { random: createRng(seed) });
}

describe('defineObjective: the objective it returns', () => {
  it("fills in specificationVersion 'v1' and keeps the declaration", () => {
    expect(toyObjective.specificationVersion).toBe('v1');
    expect(toyObjective.objectiveId).toBe('test/next-token');
    expect(toyObjective.description).toBe('Next-token prediction over whole sequences.');
    expect(toyObjective.partNames).toEqual(['nextToken']);
    expect(Object.keys(toyObjective.batchFields)).toEqual(['inputIds', 'labels', 'attentionMask']);
    expect(toyObjective.batchFields['attentionMask']).toEqual(TOY_FIELDS['attentionMask']);
  });

  it('is frozen, with frozen part names and field declarations', () => {
    expect(Object.isFrozen(toyObjective)).toBe(true);
    expect(Object.isFrozen(toyObjective.partNames)).toBe(true);
    expect(Object.isFrozen(toyObjective.batchFields)).toBe(true);
    expect(() => {
      (toyObjective as unknown as { objectiveId: string }).objectiveId = 'test/other';
    }).toThrow(TypeError);
    expect(toyObjective.objectiveId).toBe('test/next-token');
  });

  it('copies the part names, so changing the definition later does not change the objective', () => {
    const partNames = ['nextToken'];
    const objective = defineObjective({ ...toyDefinition(), partNames } as ObjectiveDefinition<
      Example,
      ToyBatch,
      LogitScores,
      'nextToken'
    >);
    partNames.push('other');
    expect(objective.partNames).toEqual(['nextToken']);
  });

  it('defaults trainableWeights to none and dispose to a no-op, and forwards given ones', () => {
    expect(toyObjective.trainableWeights()).toEqual([]);
    expect(() => toyObjective.dispose()).not.toThrow();
    let disposed = 0;
    const weights: tf.Variable[] = [];
    const objective = defineObjective({
      ...toyDefinition(),
      trainableWeights: () => weights,
      dispose: () => {
        disposed++;
      },
    });
    expect(objective.trainableWeights()).toBe(weights);
    objective.dispose();
    expect(disposed).toBe(1);
  });
});

describe('defineObjective: createBatch', () => {
  it('builds right-padded int32 inputs and labels in the shuffled row order', () => {
    const batch = makeBatch(toyObjective, 3);
    const order = createRng(3).shuffle([0, 1, 2, 3, 4]);
    expect(batch.order).toEqual(order);
    expect(batch.size).toBe(5);
    expect(batch.dimensions).toEqual({ batch: 5, sequence: 5 });
    const { inputIds, labels, attentionMask } = batch.fields;
    expect(inputIds.shape).toEqual([5, 5]);
    expect(inputIds.data).toBeInstanceOf(Int32Array);
    expect(attentionMask.data).toBeInstanceOf(Uint8Array);
    order.forEach((exampleIndex, row) => {
      const example = EXAMPLES[exampleIndex]!;
      const padding = 5 - example.length;
      const rowOf = (data: ArrayLike<number>) => Array.from(data).slice(row * 5, row * 5 + 5);
      expect(rowOf(inputIds.data)).toEqual([...example, ...new Array(padding).fill(PAD_ID)]);
      expect(rowOf(labels.data)).toEqual([...example, ...new Array(padding).fill(-100)]);
      expect(rowOf(attentionMask.data)).toEqual([
        ...new Array(example.length).fill(1),
        ...new Array(padding).fill(0),
      ]);
    });
    // 2 + 1 + 0 + 4 + 3 next-token predictions.
    expect(batch.counts).toEqual({ nextToken: 10 });
  });

  it('gives identical batches for the same seed', () => {
    const first = makeBatch(toyObjective, 42);
    const second = makeBatch(toyObjective, 42);
    expect(second).toEqual(first);
    expect(Array.from(second.fields.inputIds.data)).toEqual(Array.from(first.fields.inputIds.data));
  });

  it('gives a different row order for a different seed', () => {
    expect(makeBatch(toyObjective, 1).order).not.toEqual(makeBatch(toyObjective, 2).order);
  });

  it('refuses a field whose dtype is not the declared one, naming the objective and the field', () => {
    const objective = objectiveReturning((batch) => ({
      ...batch,
      fields: {
        ...batch.fields,
        labels: {
          dtype: 'float32',
          shape: batch.fields.labels.shape,
          data: Float32Array.from(batch.fields.labels.data),
        },
      },
    }));
    const error = expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'fields.labels',
      [
        'an int32 field stored in an Int32Array',
        "received dtype 'float32' in Float32Array",
        "field 'labels'",
      ],
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(false);
  });

  it('refuses a field whose typed array does not match its declared dtype', () => {
    const objective = objectiveReturning((batch) => ({
      ...batch,
      fields: {
        ...batch.fields,
        attentionMask: { ...batch.fields.attentionMask, data: new Int32Array(25) },
      },
    }));
    expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'fields.attentionMask',
      ['stored in a Uint8Array', "received dtype 'bool' in Int32Array"],
    );
  });

  it('refuses a field of the wrong shape with a ShapeMismatchError naming the field', () => {
    const objective = objectiveReturning((batch) => ({
      ...batch,
      fields: {
        ...batch.fields,
        inputIds: { dtype: 'int32', shape: [5, 4], data: new Int32Array(20) },
      },
    }));
    const error = expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'fields.inputIds',
      [
        'has the wrong shape',
        'Expected shape [5, 5] (batch × sequence) with 25 elements',
        'received shape [5, 4] with 20 elements',
      ],
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
  });

  it('refuses a field whose data length disagrees with its shape', () => {
    const objective = objectiveReturning((batch) => ({
      ...batch,
      fields: {
        ...batch.fields,
        labels: { dtype: 'int32', shape: [5, 5], data: new Int32Array(24) },
      },
    }));
    const error = expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'fields.labels',
      ['received shape [5, 5] with 24 elements'],
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
  });

  it('refuses a batch with a declared field missing', () => {
    const objective = objectiveReturning((batch) => {
      const { attentionMask: _, ...fields } = batch.fields;
      return { ...batch, fields };
    });
    expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'fields.attentionMask',
      ['received no such field', "return field 'attentionMask' as declared in batchFields"],
    );
  });

  it('refuses a batch with a part count missing', () => {
    const objective = objectiveReturning((batch) => ({ ...batch, counts: {} }));
    expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'counts.nextToken',
      [
        'a finite, non-negative count',
        'received undefined',
        'report counts.nextToken in every batch',
      ],
    );
  });

  it('refuses a negative part count', () => {
    const objective = objectiveReturning((batch) => ({ ...batch, counts: { nextToken: -1 } }));
    expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'counts.nextToken',
      ['received -1.'],
    );
  });

  it('refuses a batch without a size for a declared dimension, naming the field that uses it', () => {
    const objective = objectiveReturning((batch) => ({ ...batch, dimensions: { batch: 5 } }));
    expectInvalidArgument(() => makeBatch(objective), 'test/next-token createBatch', 'dimensions', [
      "a size for each of batch, sequence (declared by field 'inputIds')",
    ]);
  });

  it('refuses a createBatch that returns nothing', () => {
    const objective = objectiveReturning(() => undefined);
    expectInvalidArgument(
      () => makeBatch(objective),
      'test/next-token createBatch',
      'return value',
      ['received undefined'],
    );
  });
});

describe('defineObjective: refused definitions', () => {
  it.each([
    'Bert/MLM',
    'noslash',
    '',
    'acme/',
    '/mlm',
    'acme/mlm/extra',
    'acme/masked_lm',
    'acme/-mlm',
  ])("refuses the objective id '%s'", (objectiveId) => {
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), objectiveId }),
      'defineObjective',
      'definition.objectiveId',
      ["an id 'scope/name' in lowercase kebab case", `received ${JSON.stringify(objectiveId)}.`],
    );
  });

  it.each(['bert/mlm-nsp', 'glm/blank-infilling', 'lora2/conditional-lm'])(
    "accepts the objective id '%s'",
    (objectiveId) => {
      expect(defineObjective({ ...toyDefinition(), objectiveId }).objectiveId).toBe(objectiveId);
    },
  );

  it('refuses a missing or blank description', () => {
    const { description: _, ...withoutDescription } = toyDefinition();
    expectInvalidArgument(
      () => defineObjective(withoutDescription as ReturnType<typeof toyDefinition>),
      'defineObjective',
      'definition.description',
      ['a non-empty sentence', 'received undefined'],
    );
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), description: '   ' }),
      'defineObjective',
      'definition.description',
    );
  });

  it('refuses empty part names', () => {
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), partNames: [] }),
      'defineObjective',
      'definition.partNames',
      ['a non-empty array of distinct part names', 'received array of length 0 []'],
    );
  });

  it('refuses duplicate part names', () => {
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), partNames: ['nextToken', 'nextToken'] }),
      'defineObjective',
      'definition.partNames',
      ['received array of length 2 [nextToken, nextToken]'],
    );
  });

  it('refuses a createBatch that is not a function', () => {
    const definition = {
      ...toyDefinition(),
      createBatch: 'not a function',
    } as unknown as ReturnType<typeof toyDefinition>;
    expectInvalidArgument(
      () => defineObjective(definition),
      'defineObjective',
      'definition.createBatch',
      ['Expected a function', 'received "not a function"', 'Fix: implement createBatch.'],
    );
  });

  it('refuses a computeLoss that is not a function', () => {
    const definition = { ...toyDefinition(), computeLoss: undefined } as unknown as ReturnType<
      typeof toyDefinition
    >;
    expectInvalidArgument(
      () => defineObjective(definition),
      'defineObjective',
      'definition.computeLoss',
    );
  });

  it('refuses no batch fields and a field declared with an unknown dtype', () => {
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), batchFields: {} }),
      'defineObjective',
      'definition.batchFields',
    );
    const batchFields = {
      ...TOY_FIELDS,
      inputIds: { dtype: 'int64', dimensions: ['batch'], description: 'ids' },
    } as unknown as Record<string, BatchFieldSpec>;
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), batchFields }),
      'defineObjective',
      'definition.batchFields.inputIds',
    );
  });

  it('refuses a definition that is not an object', () => {
    expectInvalidArgument(
      () => defineObjective(null as unknown as ReturnType<typeof toyDefinition>),
      'defineObjective',
      'definition',
      ['received null'],
    );
  });
});

/** Next-token cross-entropy in float64, straight from the definition, as an independent reference. */
function referenceNextTokenLoss(
  logits: Float32Array,
  labels: Int32Array,
  [batchSize, length, vocabularySize]: readonly [number, number, number],
): { sum: number; count: number; correct: number } {
  let sum = 0;
  let count = 0;
  let correct = 0;
  for (let row = 0; row < batchSize; row++) {
    for (let position = 0; position + 1 < length; position++) {
      const target = labels[row * length + position + 1]!;
      if (target === IGNORE_INDEX) continue;
      const offset = (row * length + position) * vocabularySize;
      const scores = Array.from(logits.subarray(offset, offset + vocabularySize));
      const largest = Math.max(...scores);
      const logSumExp =
        largest + Math.log(scores.reduce((total, score) => total + Math.exp(score - largest), 0));
      sum += logSumExp - scores[target]!;
      count++;
      if (scores.indexOf(largest) === target) correct++;
    }
  }
  return { sum, count, correct };
}

function disposeResult(result: ObjectiveLossResult): void {
  tf.dispose([
    result.loss,
    ...Object.values<{ loss: tf.Tensor; sum: tf.Tensor; count: tf.Tensor }>(result.parts).flatMap(
      (part) => [part.loss, part.sum, part.count],
    ),
    ...Object.values(result.metrics),
  ]);
}

describe('defineObjective: computeLoss input check', () => {
  it('refuses a missing or foreign batch with a typed error before the objective runs', () => {
    let called = 0;
    const objective = defineObjective({
      ...toyDefinition(),
      computeLoss() {
        called += 1;
        throw new Error('unreachable: the wrapper checks the input first');
      },
    });
    const outputs = { logits: {} } as unknown as LogitScores;
    for (const batch of [null, undefined, {}, { fields: {}, dimensions: {} }]) {
      expectInvalidArgument(
        () => objective.computeLoss({ outputs, batch: batch as unknown as ToyBatch }),
        'test/next-token computeLoss',
        'batch',
        ["pass the batch returned by test/next-token's createBatch"],
      );
    }
    expectInvalidArgument(
      () =>
        objective.computeLoss({
          outputs: null as unknown as LogitScores,
          batch: makeBatch(objective),
        }),
      'test/next-token computeLoss',
      'outputs',
      ['the outputs of the model forward pass'],
    );
    expectInvalidArgument(
      () => objective.computeLoss(undefined as never),
      'test/next-token computeLoss',
      'input',
    );
    expect(called).toBe(0);
  });
});

describeEachBackend('defineObjective: computeLoss', () => {
  const batch = makeBatch(toyObjective, 7);
  const [batchSize, length] = batch.fields.inputIds.shape as [number, number];
  const logitShape = [batchSize, length, VOCABULARY_SIZE] as const;
  const random = createRng(99);
  const logitValues = Float32Array.from({ length: batchSize * length * VOCABULARY_SIZE }, () =>
    random.normal(0, 2),
  );

  function run(
    objective: LossObjectiveV1<Example, ToyBatch, LogitScores, 'nextToken'>,
    numItemsInBatch?: Record<string, number>,
  ) {
    const logits = tf.tensor3d(logitValues, [...logitShape]);
    try {
      const result = objective.computeLoss({
        outputs: { logits },
        batch,
        ...(numItemsInBatch ? { numItemsInBatch } : {}),
      });
      const values = {
        loss: result.loss.dataSync()[0]!,
        sum: result.parts.nextToken.sum.dataSync()[0]!,
        count: result.parts.nextToken.count.dataSync()[0]!,
        accuracy: result.metrics['accuracy']!.dataSync()[0]!,
        lossShape: result.loss.shape,
      };
      const labels = tf.tensor(batch.fields.labels.data, [...batch.fields.labels.shape], 'int32');
      const direct = crossEntropy(logits, labels, {
        shift: true,
        ...(numItemsInBatch ? { numItemsInBatch: numItemsInBatch['nextToken'] } : {}),
      });
      const directLoss = direct.loss.dataSync()[0]!;
      tf.dispose([labels, direct.loss, direct.sum, direct.count]);
      disposeResult(result);
      return { ...values, directLoss };
    } finally {
      logits.dispose();
    }
  }

  it('returns a finite scalar loss equal to crossEntropy called directly, and to a float64 reference', () => {
    const tensorsBefore = tf.memory().numTensors;
    const values = run(toyObjective);
    const reference = referenceNextTokenLoss(logitValues, batch.fields.labels.data, logitShape);
    expect(Number.isFinite(values.loss)).toBe(true);
    expect(values.lossShape).toEqual([]);
    expect(values.loss).toBe(values.directLoss);
    expect(values.count).toBe(batch.counts.nextToken);
    expect(reference.count).toBe(batch.counts.nextToken);
    expect(Math.abs(values.sum - reference.sum)).toBeLessThan(1e-5 * reference.sum);
    expect(Math.abs(values.loss - reference.sum / reference.count)).toBeLessThan(
      1e-5 * (reference.sum / reference.count),
    );
    expect(values.accuracy).toBeCloseTo(reference.correct / reference.count, 6);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('normalises by numItemsInBatch when given (a gradient-accumulation window)', () => {
    const windowCount = 4 * batch.counts.nextToken;
    const values = run(toyObjective, { nextToken: windowCount });
    const reference = referenceNextTokenLoss(logitValues, batch.fields.labels.data, logitShape);
    expect(values.loss).toBe(values.directLoss);
    expect(Math.abs(values.loss - reference.sum / windowCount)).toBeLessThan(
      1e-5 * (reference.sum / windowCount),
    );
    expect(values.count).toBe(batch.counts.nextToken);
  });
});

describe('defineObjective: the optional explainBatch hook', () => {
  it('is absent when the definition has none, and passed through (bound to the definition) when it has one', () => {
    expect(toyObjective.explainBatch).toBeUndefined();
    const definition = {
      ...toyDefinition(),
      explainBatch(this: { objectiveId: string }, batch: ToyBatch) {
        return {
          rows: Array.from({ length: batch.size }, () => ({
            tokens: [],
            facts: { by: this.objectiveId },
          })),
        };
      },
    };
    const objective = defineObjective(definition);
    const explanation = objective.explainBatch!(makeBatch(objective));
    expect(explanation.rows.length).toBe(makeBatch(objective).size);
    expect(explanation.rows[0]!.facts).toEqual({ by: 'test/next-token' });
  });

  it('refuses an explainBatch that is not a function', () => {
    expect(() => defineObjective({ ...toyDefinition(), explainBatch: 'yes' as never })).toThrow(
      /defineObjective: argument 'definition.explainBatch' is invalid\. Expected a function or undefined/,
    );
  });
});

describe('defineObjective: unknown keys and the specification version', () => {
  it('refuses an unknown key, suggesting the closest valid one', () => {
    const { computeLoss, ...rest } = toyDefinition();
    expectInvalidArgument(
      () => defineObjective({ ...rest, computLoss: computeLoss } as never),
      'defineObjective',
      'definition.computLoss',
      ["received an unknown option 'computLoss'", "did you mean 'computeLoss'?"],
    );
    expectInvalidArgument(
      () => defineObjective({ ...toyDefinition(), partnames: ['x'] } as never),
      'defineObjective',
      'definition.partnames',
      ["did you mean 'partNames'?"],
    );
  });

  it("refuses a specificationVersion other than 'v1' instead of re-stamping it, and accepts 'v1'", () => {
    for (const version of ['v2', 'v0', 1, null]) {
      let thrown: unknown;
      try {
        defineObjective({ ...toyDefinition(), specificationVersion: version } as never);
      } catch (error) {
        thrown = error;
      }
      expect(UnsupportedSpecificationVersionError.isInstance(thrown), String(version)).toBe(true);
      expect((thrown as Error).message).toContain(
        `defineObjective: objective 'test/next-token' declares specificationVersion ${JSON.stringify(version)}`,
      );
    }
    const stamped = defineObjective({ ...toyDefinition(), specificationVersion: 'v1' } as never);
    expect(stamped.specificationVersion).toBe('v1');
  });

  it('refuses, through createBatch, a batch with an undeclared field or a fractional size', () => {
    const withExtra = objectiveReturning((batch) => ({
      ...batch,
      fields: { ...batch.fields, positions: batch.fields.labels },
    }));
    expectInvalidArgument(
      () => makeBatch(withExtra),
      'test/next-token createBatch',
      'fields.positions',
      ["received an undeclared field 'positions'"],
    );
    const halfRow = objectiveReturning((batch) => ({ ...batch, size: batch.size + 0.5 }));
    expectInvalidArgument(
      () => makeBatch(halfRow),
      'test/next-token createBatch',
      'return value.size',
    );
  });
});

describeEachBackend('defineObjective: the result of computeLoss is checked', () => {
  const batch = makeBatch(toyObjective, 3);
  const [batchSize, length] = batch.fields.inputIds.shape as [number, number];

  /** The toy objective with its result passed through `alter` (inside the same tidy). */
  function objectiveAltering(
    alter: (result: ObjectiveLossResult<'nextToken'>, logits: tf.Tensor) => unknown,
  ) {
    const definition = toyDefinition();
    return defineObjective<Example, ToyBatch, LogitScores, 'nextToken'>({
      ...definition,
      computeLoss: (input) =>
        tidyResult(
          () =>
            alter(
              definition.computeLoss(input),
              input.outputs.logits,
            ) as ObjectiveLossResult<'nextToken'>,
        ),
    });
  }

  const cases: [
    string,
    (result: ObjectiveLossResult<'nextToken'>, logits: tf.Tensor) => unknown,
    string,
    string[],
  ][] = [
    [
      'a loss that is not a scalar',
      (result) => ({ ...result, loss: tf.reshape(result.loss, [1]) }),
      'return value.loss',
      [
        'Expected a float32 scalar tensor (the value to minimise)',
        'received a float32 tensor of shape [1]',
      ],
    ],
    [
      'the caller’s logits as the loss',
      (result, logits) => ({ ...result, loss: logits }),
      'return value.loss',
      ['received a float32 tensor of shape'],
    ],
    [
      'an int32 loss',
      (result) => ({ ...result, loss: tf.cast(result.loss, 'int32') }),
      'return value.loss',
      ['received an int32 tensor of shape []'],
    ],
    [
      'a number as the loss',
      (result) => ({ ...result, loss: 1.5 }),
      'return value.loss',
      ['received 1.5'],
    ],
    [
      'a declared part missing',
      (result) => ({ ...result, parts: {} }),
      'return value.parts.nextToken.loss',
      ['received no such part'],
    ],
    [
      'an undeclared part',
      (result) => ({ ...result, parts: { ...result.parts, extra: result.parts.nextToken } }),
      'return value.parts.extra',
      ["received an undeclared part 'extra'", 'declare it in partNames'],
    ],
    [
      'a part count that is a number',
      (result) => ({ ...result, parts: { nextToken: { ...result.parts.nextToken, count: 3 } } }),
      'return value.parts.nextToken.count',
      ['Expected a scalar tensor', 'received 3'],
    ],
    [
      'a metric that is not a scalar',
      (result) => ({ ...result, metrics: { ...result.metrics, perRow: tf.zeros([2]) } }),
      'return value.metrics.perRow',
      ['received a float32 tensor of shape [2]'],
    ],
  ];

  for (const [name, alter, argumentName, fragments] of cases) {
    it(`refuses ${name}, naming the objective, and frees the result but not the caller's outputs`, () => {
      const logits = tf.randomNormal([batchSize, length, VOCABULARY_SIZE]);
      const tensorsBefore = tf.memory().numTensors;
      expectInvalidArgument(
        () => objectiveAltering(alter).computeLoss({ outputs: { logits }, batch }),
        'test/next-token computeLoss',
        argumentName,
        fragments,
      );
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(logits.isDisposed).toBe(false);
      logits.dispose();
    });
  }
});
