import * as tf from '@tensorflow/tfjs-core';

/** Backends whose reads are synchronous and cheap, where index tensors are range-checked eagerly. */
const SYNCHRONOUS_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

/**
 * Whether the active backend reads tensors synchronously and cheaply (`cpu`, `wasm`, Node's
 * `tensorflow`), so that a tensor of indices can be read back and range-checked before use. On
 * WebGL and WebGPU a read would stall the pipeline: tensors are not read there.
 */
export function readsAreSynchronous(): boolean {
  return SYNCHRONOUS_BACKENDS.has(tf.getBackend());
}
