import type * as tf from '@tensorflow/tfjs-core';

/**
 * A computation with one read-back in its middle, written once for both kinds of read: it yields
 * the tensor whose values it needs, receives them, and returns its result. The tensor stays the
 * computation's (it frees it after resuming).
 *
 * Synchronous reads (`dataSync`) are cheap on cpu and wasm; on WebGL they stall the GPU pipeline,
 * and on WebGPU a browser can only map GPU memory asynchronously (tfjs-webgpu's `dataSync` goes
 * through a canvas copy that is slow, and in headless Chromium on SwiftShader returns zeros and
 * loses the device). So every step and evaluation has an asynchronous form.
 */
export type ReadBackPhases<Result> = Generator<tf.Tensor, Result, ArrayLike<number>>;

/** Runs `phases`, reading with `dataSync`. */
export function runWithSynchronousRead<Result>(phases: ReadBackPhases<Result>): Result {
  let next = phases.next(new Float32Array(0));
  while (!next.done) {
    let values: ArrayLike<number>;
    try {
      values = next.value.dataSync();
    } catch (error) {
      // Let the computation's `finally` blocks free what it holds, then rethrow.
      next = phases.throw(error);
      continue;
    }
    next = phases.next(values);
  }
  return next.value;
}

/** Runs `phases`, reading with `await data()` (the GPU keeps working while the page waits). */
export async function runWithAsynchronousRead<Result>(
  phases: ReadBackPhases<Result>,
): Promise<Result> {
  let next = phases.next(new Float32Array(0));
  while (!next.done) {
    let values: ArrayLike<number>;
    try {
      values = await next.value.data();
    } catch (error) {
      next = phases.throw(error);
      continue;
    }
    next = phases.next(values);
  }
  return next.value;
}
