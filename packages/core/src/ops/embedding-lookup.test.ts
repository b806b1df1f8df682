import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';
import { describeEachBackend, expectRelativelyClose } from '../../test/backends';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { ShapeMismatchError } from '../errors/shape-mismatch-error';
import { createRng } from '../random/create-rng';
import { embeddingLookup } from './embedding-lookup';

/** A `[V, H]` table whose entry `[v, h]` is `10·v + h`, so every row is recognisable. */
function recognisableTable(vocabularySize: number, hiddenSize: number): tf.Tensor2D {
  const values: number[] = [];
  for (let row = 0; row < vocabularySize; row++) {
    for (let column = 0; column < hiddenSize; column++) values.push(10 * row + column);
  }
  return tf.tensor2d(values, [vocabularySize, hiddenSize]);
}

/** The rows `10·id + h` that {@link recognisableTable} holds at `ids`, flattened. */
function expectedRows(ids: readonly number[], hiddenSize: number): number[] {
  return ids.flatMap((id) => Array.from({ length: hiddenSize }, (_, column) => 10 * id + column));
}

function normalValues(seed: number, count: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** The error `call` throws (failing the test if it does not throw). */
function errorThrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

describeEachBackend('embeddingLookup', (backend) => {
  it('returns the rows of the table at the given ids, repeated ids included', () => {
    const table = recognisableTable(5, 3);
    const ids = tf.tensor1d([3, 0, 3, 4], 'int32');
    const rows = embeddingLookup(table, ids);
    expect(rows.shape).toEqual([4, 3]);
    expect(rows.dtype).toBe('float32');
    expect(Array.from(rows.dataSync())).toEqual(expectedRows([3, 0, 3, 4], 3));
    tf.dispose([table, ids, rows]);
  });

  it('returns shape [...ids.shape, H] for rank-2 ids, row-major', () => {
    const table = recognisableTable(5, 3);
    const ids = tf.tensor2d(
      [
        [1, 2, 0],
        [4, 4, 1],
      ],
      [2, 3],
      'int32',
    );
    const rows = embeddingLookup(table, ids);
    expect(rows.shape).toEqual([2, 3, 3]);
    expect(Array.from(rows.dataSync())).toEqual(expectedRows([1, 2, 0, 4, 4, 1], 3));
    tf.dispose([table, ids, rows]);
  });

  it('returns one row of shape [H] for a scalar id', () => {
    const table = recognisableTable(5, 3);
    const id = tf.scalar(2, 'int32');
    const row = embeddingLookup(table, id);
    expect(row.shape).toEqual([3]);
    expect(Array.from(row.dataSync())).toEqual([20, 21, 22]);
    tf.dispose([table, id, row]);
  });

  it('accepts ids as an Int32Array or a plain array, as a rank-1 list', () => {
    const table = recognisableTable(6, 2);
    const fromTyped = embeddingLookup(table, Int32Array.from([5, 1, 1]));
    const fromArray = embeddingLookup(table, [0, 5, 2, 5]);
    expect(fromTyped.shape).toEqual([3, 2]);
    expect(Array.from(fromTyped.dataSync())).toEqual(expectedRows([5, 1, 1], 2));
    expect(fromArray.shape).toEqual([4, 2]);
    expect(Array.from(fromArray.dataSync())).toEqual(expectedRows([0, 5, 2, 5], 2));
    tf.dispose([table, fromTyped, fromArray]);
  });

  it('leaves its inputs alive and unchanged', () => {
    const table = recognisableTable(3, 2);
    const ids = tf.tensor1d([2, 0], 'int32');
    const rows = embeddingLookup(table, ids);
    expect(table.isDisposed).toBe(false);
    expect(ids.isDisposed).toBe(false);
    expect(Array.from(table.dataSync())).toEqual([0, 1, 10, 11, 20, 21]);
    expect(Array.from(ids.dataSync())).toEqual([2, 0]);
    tf.dispose([table, ids, rows]);
  });

  it('sums the upstream rows of repeated ids into the table gradient, and leaves unused rows at 0', () => {
    // ids 2 (three times), 0 and 4; rows 1, 3 and 5 are never looked up.
    const table = tf.zeros([6, 3]);
    const ids = tf.tensor1d([2, 0, 2, 2, 4], 'int32');
    const upstream = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10, 11, 12],
      [13, 14, 15],
    ]);
    const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), upstream)))(
      table,
    );
    expect(gradient.shape).toEqual([6, 3]);
    // Hand-computed: row 2 = [1,2,3] + [7,8,9] + [10,11,12]; row 0 = [4,5,6]; row 4 = [13,14,15].
    expect(Array.from(gradient.dataSync())).toEqual([
      4, 5, 6, 0, 0, 0, 18, 21, 24, 0, 0, 0, 13, 14, 15, 0, 0, 0,
    ]);
    tf.dispose([table, ids, upstream, gradient]);
  });

  it('scatters the gradient of rank-2 ids into the table, summing duplicates across rows', () => {
    const table = tf.zeros([4, 2]);
    const ids = tf.tensor2d(
      [
        [3, 1],
        [1, 1],
      ],
      [2, 2],
      'int32',
    );
    const upstream = tf.tensor3d([
      [
        [1, -1],
        [2, 0.5],
      ],
      [
        [4, 8],
        [16, 32],
      ],
    ]);
    const gradient = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), upstream)))(
      table,
    );
    // Row 1 = [2, 0.5] + [4, 8] + [16, 32]; row 3 = [1, -1]; rows 0 and 2 unused.
    expect(Array.from(gradient.dataSync())).toEqual([0, 0, 22, 40.5, 0, 0, 1, -1]);
    tf.dispose([table, ids, upstream, gradient]);
  });

  it('has a table gradient equal to central finite differences of its own forward pass', () => {
    const vocabularySize = 5;
    const hiddenSize = 3;
    const idValues = [4, 1, 4, 0, 1, 4, 2];
    const table = tf.tensor2d(normalValues(1, vocabularySize * hiddenSize), [
      vocabularySize,
      hiddenSize,
    ]);
    const ids = tf.tensor1d(idValues, 'int32');
    // A random cotangent, so that every output element contributes to the checked scalar.
    const cotangent = tf.tensor2d(normalValues(2, idValues.length * hiddenSize), [
      idValues.length,
      hiddenSize,
    ]);
    const objective = (t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), cotangent));
    const gradient = tf.grad(objective)(table);
    const analytic = gradient.dataSync();

    const base = table.dataSync();
    const epsilon = 1e-2;
    const numeric = new Float64Array(base.length);
    const evaluate = (values: Float32Array) =>
      tf.tidy(() => objective(tf.tensor2d(values, [vocabularySize, hiddenSize])).dataSync()[0]!);
    for (let index = 0; index < base.length; index++) {
      const shifted = Float32Array.from(base);
      shifted[index] = base[index]! + epsilon;
      const above = evaluate(shifted);
      shifted[index] = base[index]! - epsilon;
      const below = evaluate(shifted);
      numeric[index] = (above - below) / (2 * epsilon);
    }
    // The objective is linear in the table, so the only error is float32 rounding of a sum of
    // ~20 products of size ~1 (about 1e-6), divided by 2ε = 0.02: well under 1e-3 relative.
    expectRelativelyClose(analytic, numeric, 1e-3, 'table gradient vs finite differences');
    tf.dispose([table, ids, cotangent, gradient]);
  });

  it('trains a table variable with tf.train.sgd, updating only the looked-up rows', () => {
    const initial = tf.tidy(() => tf.div(recognisableTable(4, 2), 10));
    const table = tf.variable(initial);
    const ids = tf.tensor1d([1, 3, 1], 'int32');
    const optimizer = tf.train.sgd(0.1);
    const loss = () => tf.mean(tf.square(embeddingLookup(table, ids))) as tf.Scalar;
    const lossBefore = tf.tidy(() => loss().dataSync()[0]!);
    for (let step = 0; step < 3; step++) optimizer.minimize(loss, false, [table]);
    const lossAfter = tf.tidy(() => loss().dataSync()[0]!);
    expect(lossAfter).toBeLessThan(0.8 * lossBefore);
    // One step of d/dT mean(T[ids]²) over 6 entries: row 1 (looked up twice) moves by
    // 0.1·(2·2·T₁/6) per step, i.e. T₁ ← T₁·(1 − 0.4/6); row 3 by T₃ ← T₃·(1 − 0.2/6).
    const after = table.dataSync();
    const row1 = [1.0, 1.1].map((value) => value * (1 - 0.4 / 6) ** 3);
    const row3 = [3.0, 3.1].map((value) => value * (1 - 0.2 / 6) ** 3);
    expectRelativelyClose(after, [0, 0.1, ...row1, 2.0, 2.1, ...row3], 1e-6, 'trained table');
    optimizer.dispose();
    tf.dispose([initial, table, ids]);
  });

  it.runIf(backend === 'wasm')(
    'is needed on wasm, where the gradient of plain tf.gather throws for a missing kernel',
    () => {
      const table = tf.ones([3, 2]);
      const ids = tf.tensor1d([2, 2], 'int32');
      const error = errorThrownBy(() =>
        tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table)),
      );
      expect(error.message).toMatch(/UnsortedSegmentSum/);
      // tfjs keeps the tensors it saved for the aborted backward pass on its tape; release them so
      // that the leak check below measures this package only.
      for (const node of tf.engine().state.activeTape ?? []) tf.dispose(node.saved ?? []);
      tf.engine().state.activeTape = [];

      const gradient = tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t, ids)))(table);
      expect(Array.from(gradient.dataSync())).toEqual([0, 0, 0, 0, 2, 2]);
      tf.dispose([table, ids, gradient]);
    },
  );

  it('rejects an id ≥ V, naming its flat index and the vocabulary size', () => {
    const table = tf.zeros([4, 2]);
    const ids = tf.tensor2d(
      [
        [0, 1],
        [4, 2],
      ],
      [2, 2],
      'int32',
    );
    const error = errorThrownBy(() => embeddingLookup(table, ids));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^embeddingLookup: argument 'ids \(flat index 2\)' is invalid/);
    expect(error.message).toMatch(/\[0, 4\) \(the table has 4 rows\); received 4\./);
    expect(() => embeddingLookup(table, [0, 1, 2, 3, 7])).toThrow(/flat index 4.*received 7/);
    tf.dispose([table, ids]);
  });

  it('rejects a negative id and a non-integer id in an array', () => {
    const table = tf.zeros([4, 2]);
    const negative = errorThrownBy(() => embeddingLookup(table, Int32Array.from([1, -1])));
    expect(InvalidArgumentError.isInstance(negative)).toBe(true);
    expect(negative.message).toMatch(/'ids \(flat index 1\)'.*received -1\./);
    expect(() => embeddingLookup(table, [1.5])).toThrow(/flat index 0.*received 1\.5/);
    tf.dispose(table);
  });

  it('rejects a float32 ids tensor', () => {
    const table = tf.zeros([4, 2]);
    const ids = tf.tensor1d([0, 1]);
    const error = errorThrownBy(() => embeddingLookup(table, ids));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'ids'.*int32 tensor.*received a float32 tensor/);
    tf.dispose([table, ids]);
  });

  it('rejects a rank-1 table with a shape error', () => {
    const table = tf.zeros([4]);
    const error = errorThrownBy(() => embeddingLookup(table, [0]));
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'table' has the wrong shape.*rank 2/);
    tf.dispose(table);
  });

  it('rejects ids that are neither a tensor nor an array', () => {
    const table = tf.zeros([4, 2]);
    const error = errorThrownBy(() => embeddingLookup(table, '0 1' as unknown as number[]));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/argument 'ids'.*an Int32Array or an array of integers/);
    tf.dispose(table);
  });

  it('does not read or check the ids with validateIds: false', () => {
    const table = recognisableTable(4, 2);
    const ids = tf.tensor1d([3, 1], 'int32');
    const reads = vi.spyOn(ids, 'dataSync');
    const checked = embeddingLookup(table, ids);
    expect(reads).toHaveBeenCalled();
    reads.mockClear();
    const unchecked = embeddingLookup(table, ids, { validateIds: false });
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(Array.from(unchecked.dataSync())).toEqual(Array.from(checked.dataSync()));
    // An array id that validation rejects (not an integer) goes through to the lookup unchecked.
    expect(() => embeddingLookup(table, [1.5])).toThrow(InvalidArgumentError);
    const truncated = embeddingLookup(table, [1.5], { validateIds: false });
    expect(Array.from(truncated.dataSync())).toEqual([10, 11]);
    tf.dispose([table, ids, checked, unchecked, truncated]);
  });
});
