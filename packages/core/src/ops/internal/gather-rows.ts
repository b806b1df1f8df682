import * as tf from '@tensorflow/tfjs-core';

/**
 * `table[rowIndices]` for a table `[R, H]` and flat int32 indices `[N]`, giving `[N, H]`, with a
 * gradient that works on every backend: the table's gradient is one `scatterND` of the upstream
 * rows (which sums duplicate indices), costing $O(N \cdot H)$ plus the zeroed table, instead of
 * `tf.gather`'s gradient (`UnsortedSegmentSum`, missing on wasm and very slow on cpu).
 * The indices are constants: only the table receives a gradient.
 */
export function gatherRows(table: tf.Tensor2D, rowIndices: tf.Tensor1D): tf.Tensor2D {
  const gathered = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [source, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([rowIndices]);
    return {
      value: tf.gather(source, rowIndices),
      gradFunc: (upstream: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const indices = tf.reshape(saved[0]!, [saved[0]!.size, 1]);
          return tf.scatterND(indices, upstream, source.shape);
        }),
    };
  });
  return gathered(table) as tf.Tensor2D;
}
