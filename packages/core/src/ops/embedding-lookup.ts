import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { checkBoolean } from '../validation/check-boolean';
import { checkOptionKeys } from '../validation/check-option-keys';
import { checkTensor } from '../validation/check-tensor';
import { isTensor } from '../validation/is-tensor';
import { gatherRows } from './internal/gather-rows';
import { readsAreSynchronous } from './internal/synchronous-backend';

/** Options of {@link embeddingLookup}. */
export interface EmbeddingLookupOptions {
  /**
   * Check that every id is in $[0, V)$ before looking it up. Default `true`; on the wasm backend an
   * out-of-range id would otherwise read arbitrary memory silently. Costs one read of the ids.
   * An ids tensor is read only on backends with cheap synchronous reads (cpu, wasm); on WebGL and
   * WebGPU it is not read (check the ids on the data side there); arrays are always checked.
   */
  validateIds?: boolean;
}

/**
 * Looks up rows of an embedding table: $\mathrm{out}[\ldots, :] = \mathrm{table}[\mathrm{ids}[\ldots], :]$.
 *
 * Its gradient with respect to the table works on every backend (on `wasm`, `tf.gather`'s
 * gradient throws for a missing kernel): it scatters the upstream rows into the table's shape,
 * summing repeated ids, in $O(N \cdot H)$ without a one-hot matrix per token.
 *
 * @param table float32 `[V, H]`.
 * @param ids int32 ids of any shape (a tensor, an `Int32Array` or an array of integers).
 * @returns float32 `[...ids.shape, H]`; the caller owns it.
 * @throws {InvalidArgumentError} for a non-2-D table or ids outside $[0, V)$.
 */
export function embeddingLookup(
  table: tf.Tensor,
  ids: tf.Tensor | Int32Array | readonly number[],
  options: EmbeddingLookupOptions = {},
): tf.Tensor {
  const functionName = 'embeddingLookup';
  checkTensor({ functionName, argumentName: 'table' }, table, { dtypes: ['float32'], ranks: [2] });
  checkOptionKeys(functionName, options, ['validateIds']);
  const validateIds = checkBoolean(
    { functionName, argumentName: 'options.validateIds' },
    options?.validateIds,
    true,
  );
  const [vocabularySize, hiddenSize] = table.shape as [number, number];
  let idsShape: number[];
  if (isTensor(ids)) {
    checkTensor({ functionName, argumentName: 'ids' }, ids, { dtypes: ['int32'] });
    idsShape = ids.shape;
  } else if (ids instanceof Int32Array || Array.isArray(ids)) {
    idsShape = [ids.length];
  } else {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'ids',
      expected: 'an int32 tensor, an Int32Array or an array of integers',
      received: ids,
      fix: 'pass token ids, e.g. tf.tensor(ids, shape, "int32").',
    });
  }
  if (validateIds && (!isTensor(ids) || readsAreSynchronous())) {
    const values = isTensor(ids) ? ids.dataSync() : ids;
    for (let index = 0; index < values.length; index++) {
      const id = values[index]!;
      if (!(Number.isInteger(id) && id >= 0 && id < vocabularySize)) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `ids (flat index ${index})`,
          expected: `an integer id in [0, ${vocabularySize}) (the table has ${vocabularySize} rows)`,
          received: id,
          fix: 'check that the tokenizer and the embedding table agree on the vocabulary size; padding ids must be real rows too.',
        });
      }
    }
  }
  return tf.tidy(() => {
    const flatIds = isTensor(ids)
      ? (tf.reshape(ids, [ids.size]) as tf.Tensor1D)
      : tf.tensor1d(ids as ArrayLike<number> as number[], 'int32');
    const rows = gatherRows(table as tf.Tensor2D, flatIds);
    return tf.reshape(rows, [...idsShape, hiddenSize]);
  });
}
