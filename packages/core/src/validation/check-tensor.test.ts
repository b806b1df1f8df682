import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeEachBackend, expectInvalidArgument } from '../../test/backends';
import { checkTensor } from './check-tensor';
import { checkVariable } from './check-variable';
import type { DimensionSizes } from './dimension-sizes';
import { isTensor, isVariable } from './is-tensor';
import { tidyResult } from './tidy-result';

const site = (argumentName: string) => ({ functionName: 'computeLoss', argumentName });

/** A variable holding zeros (the initial tensor is freed: variables outlive `tf.tidy`). */
function zeroVariable(shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape, dtype)));
}

describeEachBackend('checkTensor', () => {
  it('returns a live tensor of an accepted dtype and rank, with the old { dtypes, ranks } form', () => {
    const logits = tf.zeros([2, 3]);
    expect(checkTensor(site('logits'), logits, { dtypes: ['float32'], ranks: [2, 3] })).toBe(
      logits,
    );
    logits.dispose();
  });

  it('refuses a non-tensor, a disposed tensor and a wrong dtype with their own fixes', () => {
    expectInvalidArgument(
      () => checkTensor(site('logits'), [1, 2], { dtypes: ['float32'], shape: ['batch'] }),
      'computeLoss',
      'logits',
      [
        'Expected a float32 tensor of shape [batch]',
        'received array of length 2',
        "tf.tensor(values, shape, 'float32')",
      ],
    );
    const disposed = tf.zeros([2, 3]);
    disposed.dispose();
    expectInvalidArgument(
      () => checkTensor(site('logits'), disposed, { dtypes: ['float32'] }),
      'computeLoss',
      'logits',
      ['received a disposed tensor of shape [2, 3]', 'keep the tensor alive'],
    );
    const ints = tf.zeros([2, 3], 'int32');
    expectInvalidArgument(
      () =>
        checkTensor(site('outputs.logits'), ints, {
          dtypes: ['float32'],
          shape: ['batch', 'vocabulary'],
        }),
      'computeLoss',
      'outputs.logits',
      ['received an int32 tensor of shape [2, 3]', "tf.cast(logits, 'float32')"],
    );
    ints.dispose();
  });

  it('refuses a wrong rank with a shape error naming the dimensions', () => {
    const hidden = tf.zeros([2, 3]);
    expectInvalidArgument(
      () =>
        checkTensor(site('hidden'), hidden, {
          dtypes: ['float32'],
          shape: ['batch', 'sequence', 'hidden'],
        }),
      'computeLoss',
      'hidden',
      [
        'Expected a float32 tensor of shape [batch, sequence, hidden]',
        'received a float32 tensor of shape [2, 3]',
        'reshape it to rank 3 ([batch, sequence, hidden])',
      ],
      'shape',
    );
    expectInvalidArgument(
      () => checkTensor(site('hidden'), hidden, { dtypes: ['float32'], ranks: [3] }),
      'computeLoss',
      'hidden',
      ['Expected a float32 tensor of rank 3;', 'reshape it to rank 3.'],
      'shape',
    );
    hidden.dispose();
  });

  it('checks fixed sizes', () => {
    const bias = tf.zeros([5]);
    expect(checkTensor(site('bias'), bias, { dtypes: ['float32'], shape: [5] })).toBe(bias);
    expectInvalidArgument(
      () => checkTensor(site('bias'), bias, { dtypes: ['float32'], shape: [4] }),
      'computeLoss',
      'bias',
      [
        'Expected a float32 tensor of shape [4]',
        'received a float32 tensor of shape [5]: axis 0 is 5, not 4',
        'make axis 0 of size 4.',
      ],
      'shape',
    );
    bias.dispose();
  });

  it('binds named dimensions across the checks of one call and names where each was bound', () => {
    const logits = tf.zeros([2, 8, 3000]);
    const labels = tf.zeros([2, 8], 'int32');
    const wrongWeights = tf.zeros([2, 8, 2999]);
    const dimensions: DimensionSizes = {};
    checkTensor(site('outputs.logits'), logits, {
      dtypes: ['float32'],
      shape: ['batch', 'sequence', 'vocabulary'],
      dimensions,
    });
    expect(dimensions).toEqual({ batch: 2, sequence: 8, vocabulary: 3000 });
    checkTensor(site('labels'), labels, {
      dtypes: ['int32'],
      shape: ['batch', 'sequence'],
      dimensions,
    });
    expectInvalidArgument(
      () =>
        checkTensor(site('outputs.otherLogits'), wrongWeights, {
          dtypes: ['float32'],
          shape: ['batch', 'sequence', 'vocabulary'],
          dimensions,
        }),
      'computeLoss',
      'outputs.otherLogits',
      [
        'Expected a float32 tensor of shape [batch=2, sequence=8, vocabulary=3000]',
        "received a float32 tensor of shape [2, 8, 2999]: 'vocabulary' is 3000 in outputs.logits but 2999 here",
        "give axis 2 ('vocabulary') the size 3000 it has in outputs.logits",
      ],
      'shape',
    );
    tf.dispose([logits, labels, wrongWeights]);
  });

  it('checks sizes the caller set, and a name repeated within one tensor', () => {
    const labels = tf.zeros([3, 8], 'int32');
    const square = tf.zeros([4, 5]);
    expectInvalidArgument(
      () =>
        checkTensor(site('labels'), labels, {
          dtypes: ['int32'],
          shape: ['batch', 'sequence'],
          dimensions: { batch: 2 },
        }),
      'computeLoss',
      'labels',
      [
        'Expected an int32 tensor of shape [batch=2, sequence]',
        "received an int32 tensor of shape [3, 8]: 'batch' must be 2 but is 3 here",
      ],
      'shape',
    );
    expectInvalidArgument(
      () =>
        checkTensor(site('kernel'), square, { dtypes: ['float32'], shape: ['hidden', 'hidden'] }),
      'computeLoss',
      'kernel',
      ["'hidden' is 4 on axis 0 but 5 on axis 1", 'axes 0 and 1 must have the same size'],
      'shape',
    );
    tf.dispose([labels, square]);
  });

  it('binds nothing when a check fails', () => {
    const tensor = tf.zeros([2, 3]);
    const dimensions: DimensionSizes = {};
    expect(() =>
      checkTensor(site('x'), tensor, { dtypes: ['float32'], shape: ['batch', 4], dimensions }),
    ).toThrow(/axis 1 is 3, not 4/);
    expect(dimensions).toEqual({});
    tensor.dispose();
  });
});

describeEachBackend('checkVariable', () => {
  it('returns a live float32 variable of the given shape', () => {
    const kernel = zeroVariable([4, 6]);
    const dimensions: DimensionSizes = { hidden: 4 };
    expect(checkVariable(site('kernel'), kernel, { shape: ['hidden', 'out'], dimensions })).toBe(
      kernel,
    );
    expect(dimensions).toEqual({ hidden: 4, out: 6 });
    expect(isVariable(kernel)).toBe(true);
    kernel.dispose();
  });

  it('refuses a plain tensor, a variable of the wrong shape and an int32 variable', () => {
    const plain = tf.zeros([4, 6]);
    expect(isTensor(plain) && !isVariable(plain)).toBe(true);
    expectInvalidArgument(() => checkVariable(site('kernel'), plain), 'computeLoss', 'kernel', [
      'Expected a float32 tf.Variable (a trainable weight)',
      'received a plain float32 tensor of shape [4, 6], not a variable',
      'tf.variable(tensor)',
    ]);
    const kernel = zeroVariable([4, 6]);
    expectInvalidArgument(
      () => checkVariable(site('kernel'), kernel, { shape: [6, 4] }),
      'computeLoss',
      'kernel',
      ['Expected a float32 tf.Variable of shape [6, 4]', 'axis 0 is 4, not 6'],
      'shape',
    );
    const counts = zeroVariable([2], 'int32');
    expectInvalidArgument(() => checkVariable(site('counts'), counts), 'computeLoss', 'counts', [
      'Expected a float32 tf.Variable;',
      'received an int32 tensor of shape [2]',
    ]);
    tf.dispose([plain, kernel, counts]);
  });
});

describeEachBackend('tidyResult', () => {
  it('keeps every tensor of the returned object and frees the rest, with the precise type', () => {
    const before = tf.memory().numTensors;
    const result = tidyResult(() => {
      const a = tf.scalar(2);
      const b = tf.mul(a, 3);
      tf.add(b, 1); // an intermediate that must be freed
      return { doubled: a, nested: { tripled: b }, label: 'kept as is' };
    });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(result.label).toBe('kept as is');
    expect(result.nested.tripled.dataSync()[0]).toBe(6);
    tf.dispose([result.doubled, result.nested.tripled]);
  });
});
