import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Puts tfjs in the state every benchmark runs in: gradients registered, the wasm backend active
 * (single-threaded SIMD in Node), the Node banner silenced. Call once, before any tensor work.
 */
export function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    tf.env().set('PROD', true);
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
    await tf.ready();
  })();
  return initialised;
}

let initialised: Promise<void> | undefined;

/** Bytes of the wasm heap (it grows on demand up to 4 GiB and never shrinks). */
export function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

/**
 * Tracks the peak of `tf.memory().numBytes` (the bytes held by live tensors) without profiling
 * every kernel: `tf.profile` would time each kernel and read outputs back, which distorts timings.
 * It watches the engine's byte counter, which every tensor allocation and disposal updates.
 */
export interface PeakTracker {
  /** Starts a new measurement from the bytes held now. */
  reset(): void;
  /** Peak bytes since the last reset, minus the bytes held at the reset. */
  peakAboveStart(): number;
}

export function installPeakTracker(): PeakTracker {
  tracker ??= createPeakTracker();
  return tracker;
}

let tracker: PeakTracker | undefined;

function createPeakTracker(): PeakTracker {
  const state = tf.engine().state as unknown as { numBytes: number };
  let current = state.numBytes;
  let start = current;
  let peak = current;
  Object.defineProperty(state, 'numBytes', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: number) => {
      current = value;
      if (value > peak) peak = value;
    },
  });
  return {
    reset() {
      start = current;
      peak = current;
    },
    peakAboveStart: () => peak - start,
  };
}
