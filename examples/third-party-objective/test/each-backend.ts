import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';

/**
 * Declares `body` on the cpu and the wasm backend, failing any test that leaves a tensor behind
 * (backward passes included).
 */
export function describeOnBackends(name: string, body: () => void): void {
  for (const backend of ['cpu', 'wasm']) {
    describe(`${name} [${backend}]`, () => {
      let tensors = 0;
      beforeAll(async () => {
        expect(await tf.setBackend(backend)).toBe(true);
      });
      beforeEach(() => {
        tensors = tf.memory().numTensors;
      });
      afterEach(() => {
        expect(tf.memory().numTensors, 'tensors leaked by this test').toBe(tensors);
      });
      body();
    });
  }
}
