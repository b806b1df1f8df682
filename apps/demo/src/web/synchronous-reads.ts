// Sample predictions and evaluations read tensors synchronously (greedy decoding reads each
// token before choosing the next). WebGPU cannot: a browser maps GPU memory asynchronously only
// (tfjs-webgpu's `dataSync` falls back to a slow canvas copy, which headless Chromium on
// SwiftShader answers with zeros and a lost device). So on WebGPU they run on the cpu backend.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `compute`, which may read tensors synchronously. On WebGPU: every variable is first read
 * asynchronously (tfjs-webgpu then keeps a CPU copy), the cpu backend runs `compute` (moving the
 * variables it uses, from those copies), and WebGPU is active again afterwards (the next training
 * step uploads them back). Elsewhere `compute` just runs.
 */
export async function withSynchronousReads<T>(compute: () => T): Promise<T> {
  const backend = tf.getBackend();
  if (backend !== 'webgpu') return compute();
  await Promise.all(
    Object.values(tf.engine().registeredVariables).map((variable) => variable.data()),
  );
  await tf.setBackend('cpu');
  try {
    return compute();
  } finally {
    await tf.setBackend(backend);
  }
}
