import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../../test/backends';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { ShapeMismatchError } from '../../errors/shape-mismatch-error';
import type { BatchFieldSpec } from './batch-field';
import { batchToTensors, fieldToTensor } from './batch-to-tensors';
import { checkBatch } from './check-batch';
import type { ObjectiveBatchV1 } from './objective-batch';

type FieldName = 'inputIds' | 'weights' | 'attentionMask';

/** Two rows of three positions; the second row has one padding position. */
function makeBatch(): ObjectiveBatchV1<FieldName, 'main'> {
  return {
    size: 2,
    dimensions: { batch: 2, sequence: 3 },
    fields: {
      inputIds: { dtype: 'int32', shape: [2, 3], data: new Int32Array([5, 6, 7, 8, 9, 0]) },
      weights: { dtype: 'float32', shape: [2, 3], data: new Float32Array([1, 0.5, 0.25, 2, 1, 0]) },
      attentionMask: { dtype: 'bool', shape: [2, 3], data: new Uint8Array([1, 1, 1, 1, 1, 0]) },
    },
    counts: { main: 5 },
  };
}

const FIELD_SPECS: Record<FieldName, BatchFieldSpec> = {
  inputIds: { dtype: 'int32', dimensions: ['batch', 'sequence'], description: 'token ids' },
  weights: { dtype: 'float32', dimensions: ['batch', 'sequence'], description: 'loss weights' },
  attentionMask: { dtype: 'bool', dimensions: ['batch', 'sequence'], description: 'real tokens' },
};

describeEachBackend('batchToTensors', () => {
  it('turns every field into a tensor of its dtype, shape and values', () => {
    const tensors = batchToTensors(makeBatch());
    try {
      expect(Object.keys(tensors).sort()).toEqual(['attentionMask', 'inputIds', 'weights']);
      expect(tensors.inputIds.dtype).toBe('int32');
      expect(tensors.inputIds.shape).toEqual([2, 3]);
      expect(Array.from(tensors.inputIds.dataSync())).toEqual([5, 6, 7, 8, 9, 0]);
      expect(tensors.weights.dtype).toBe('float32');
      expect(tensors.weights.shape).toEqual([2, 3]);
      expect(Array.from(tensors.weights.dataSync())).toEqual([1, 0.5, 0.25, 2, 1, 0]);
      expect(tensors.attentionMask.dtype).toBe('bool');
      expect(tensors.attentionMask.shape).toEqual([2, 3]);
      expect(Array.from(tensors.attentionMask.dataSync())).toEqual([1, 1, 1, 1, 1, 0]);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  });

  it('converts only the named fields when names are given', () => {
    const tensors = batchToTensors(makeBatch(), ['attentionMask', 'inputIds']);
    try {
      expect(Object.keys(tensors)).toEqual(['attentionMask', 'inputIds']);
      expect(tensors.attentionMask.dtype).toBe('bool');
      expect(Array.from(tensors.inputIds.dataSync())).toEqual([5, 6, 7, 8, 9, 0]);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  });

  it('converts nothing for an empty list of names', () => {
    const before = tf.memory().numTensors;
    expect(batchToTensors(makeBatch(), [])).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
  });

  it('makes one tensor per field with fieldToTensor, including rank-1 and rank-3 fields', () => {
    const vector = fieldToTensor({
      dtype: 'int32',
      shape: [4],
      data: new Int32Array([3, 1, 4, 1]),
    });
    const cube = fieldToTensor({
      dtype: 'float32',
      shape: [1, 2, 2],
      data: new Float32Array([0.5, -1, 2, 8]),
    });
    try {
      expect(vector.shape).toEqual([4]);
      expect(vector.dtype).toBe('int32');
      expect(Array.from(vector.dataSync())).toEqual([3, 1, 4, 1]);
      expect(cube.shape).toEqual([1, 2, 2]);
      expect(Array.from(cube.dataSync())).toEqual([0.5, -1, 2, 8]);
    } finally {
      tf.dispose([vector, cube]);
    }
  });

  it('makes tensors independent of the batch: reusing its arrays afterwards leaves them unchanged', () => {
    // A training loop may refill (or transfer back to a worker) a batch's buffers while the tensors
    // are still in use. Fails on cpu against the current batch-to-tensors.ts: tf.tensor keeps a
    // reference to a typed array of the right type there, while wasm copies it into its heap.
    const batch = makeBatch();
    const tensors = batchToTensors(batch);
    try {
      batch.fields.inputIds.data.fill(1);
      (batch.fields.weights.data as Float32Array).fill(9);
      expect(Array.from(tensors.inputIds.dataSync())).toEqual([5, 6, 7, 8, 9, 0]);
      expect(Array.from(tensors.weights.dataSync())).toEqual([1, 0.5, 0.25, 2, 1, 0]);
    } finally {
      tf.dispose(Object.values(tensors));
    }
  });

  it('gives tensors the caller owns: disposing them frees exactly what was made', () => {
    const before = tf.memory().numTensors;
    const tensors = batchToTensors(makeBatch());
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose(Object.values(tensors));
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Runs `action`, which must throw, and returns what it threw. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

/** Checks `batch` as the objective 'acme/toy' and returns the InvalidArgumentError it must throw. */
function expectBatchRefused(
  batch: unknown,
  argumentName: string,
  fragments: readonly string[] = [],
): InvalidArgumentError {
  const error = thrownBy(() =>
    checkBatch('acme/toy', batch as ObjectiveBatchV1, FIELD_SPECS, ['main']),
  );
  expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
  const invalid = error as InvalidArgumentError;
  expect(invalid.functionName).toBe('acme/toy createBatch');
  expect(invalid.argumentName).toBe(argumentName);
  expect(invalid.message).toContain(`acme/toy createBatch: argument '${argumentName}'`);
  expect(invalid.message).toContain('Expected ');
  expect(invalid.message).toContain('; received ');
  expect(invalid.message).toContain('Fix: ');
  for (const fragment of fragments) expect(invalid.message).toContain(fragment);
  return invalid;
}

function withField(name: FieldName, field: unknown) {
  const batch = makeBatch();
  return { ...batch, fields: { ...batch.fields, [name]: field } };
}

describe('checkBatch', () => {
  it('accepts a batch that matches its declarations', () => {
    expect(() => checkBatch('acme/toy', makeBatch(), FIELD_SPECS, ['main'])).not.toThrow();
  });

  it('refuses an undeclared field and an undeclared count, and a size that is not a whole number', () => {
    const batch = makeBatch();
    const extra = { dtype: 'int32' as const, shape: [1], data: new Int32Array(1) };
    expectBatchRefused({ ...batch, fields: { ...batch.fields, extra } }, 'fields.extra', [
      'Expected only the declared fields inputIds, weights, attentionMask',
      "received an undeclared field 'extra'",
      'declare it in batchFields',
    ]);
    expectBatchRefused({ ...batch, counts: { main: 5, other: 1 } }, 'counts.other', [
      'Expected only the declared parts main',
      "received an undeclared count 'other'",
    ]);
    expectBatchRefused({ ...batch, size: 1.5 }, 'return value.size', [
      'the number of examples (rows), a whole number ≥ 0',
    ]);
  });

  it('accepts a count of zero (a batch where every position is ignored)', () => {
    const batch = { ...makeBatch(), counts: { main: 0 } };
    expect(() => checkBatch('acme/toy', batch, FIELD_SPECS, ['main'])).not.toThrow();
  });

  it('refuses a missing field', () => {
    const batch = makeBatch();
    const { weights: _, ...fields } = batch.fields;
    expectBatchRefused({ ...batch, fields }, 'fields.weights', [
      'Expected a float32 field stored in a Float32Array',
      'received no such field',
    ]);
  });

  it('refuses a field with another dtype than declared', () => {
    expectBatchRefused(
      withField('inputIds', { dtype: 'float32', shape: [2, 3], data: new Float32Array(6) }),
      'fields.inputIds',
      ["received dtype 'float32' in Float32Array"],
    );
  });

  it('refuses a bool field stored in a plain array', () => {
    expectBatchRefused(
      withField('attentionMask', { dtype: 'bool', shape: [2, 3], data: [1, 1, 1, 1, 1, 0] }),
      'fields.attentionMask',
      ['stored in a Uint8Array', "received dtype 'bool' in Array"],
    );
  });

  it('refuses a field of the wrong shape with a ShapeMismatchError', () => {
    const error = expectBatchRefused(
      withField('weights', { dtype: 'float32', shape: [3, 2], data: new Float32Array(6) }),
      'fields.weights',
      [
        'Expected shape [2, 3] (batch × sequence) with 6 elements',
        'received shape [3, 2] with 6 elements',
      ],
    );
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
  });

  it('refuses a dimension that is missing or not a non-negative integer', () => {
    expectBatchRefused({ ...makeBatch(), dimensions: { batch: 2 } }, 'dimensions', [
      "declared by field 'inputIds'",
    ]);
    expectBatchRefused(
      { ...makeBatch(), dimensions: { batch: 2, sequence: 2.5 } },
      'dimensions.sequence',
      ['a whole number ≥ 0', 'received 2.5'],
    );
    expectBatchRefused(
      { ...makeBatch(), dimensions: { batch: -2, sequence: 3 } },
      'dimensions.batch',
    );
  });

  it.each([
    ['missing', undefined, 'received undefined'],
    ['negative', -1, 'received -1.'],
    ['NaN', Number.NaN, 'received NaN.'],
    ['infinite', Number.POSITIVE_INFINITY, 'received Infinity.'],
    ['a string', '5', 'received "5".'],
  ])('refuses a part count that is %s', (_, count, received) => {
    expectBatchRefused({ ...makeBatch(), counts: { main: count } }, 'counts.main', [
      'a finite, non-negative count',
      received,
    ]);
  });

  it('refuses something that is not a batch', () => {
    expectBatchRefused(null, 'return value', ['received null']);
    expectBatchRefused({ fields: {}, dimensions: {} }, 'return value', [
      'a batch object with size, dimensions, fields and counts',
    ]);
  });

  // The two cases below fail against the current check-batch.ts: a malformed field surfaces as a
  // bare TypeError from inside checkBatch instead of an error naming the field.
  it('refuses a field without a shape with an error naming the field', () => {
    expectBatchRefused(
      withField('inputIds', { dtype: 'int32', data: new Int32Array(6) }),
      'fields.inputIds',
    );
  });

  it('refuses a field that is null with an error naming the field', () => {
    expectBatchRefused(withField('weights', null), 'fields.weights');
  });
});
