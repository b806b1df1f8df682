import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { it } from 'vitest';
import { normalTensor } from '../../test/tiny-models';
import { batchedProduct, setAutodiffAttentionProducts } from './batched-product';

describeEachBackend('layer building blocks', () => {
  it('batchedProduct equals tf.matMul in value and in both gradients', () => {
    const left = normalTensor([2, 3, 4, 5], 1) as tf.Tensor4D;
    const right = normalTensor([2, 3, 5, 6], 2) as tf.Tensor4D;
    const weights = normalTensor([2, 3, 4, 6], 3);
    const run = (autodiff: boolean) => {
      setAutodiffAttentionProducts(autodiff);
      try {
        return tf.tidy(() => {
          const gradients = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.mul(batchedProduct(a as tf.Tensor4D, b as tf.Tensor4D), weights)),
          )([left, right]);
          return [batchedProduct(left, right), ...gradients].map((tensor) =>
            Array.from(tensor.dataSync()),
          );
        });
      } finally {
        setAutodiffAttentionProducts(false);
      }
    };
    const explicit = run(false);
    const autodiff = run(true);
    for (let index = 0; index < 3; index++)
      expectRelativelyClose(explicit[index]!, autodiff[index]!, 1e-5);
    tf.dispose([left, right, weights]);
  });
});
