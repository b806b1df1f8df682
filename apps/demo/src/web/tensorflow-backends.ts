// TensorFlow.js backends inside the worker. The umbrella package registers the cpu and WebGL
// backends and every gradient; the wasm backend is registered here, with its binaries served from
// the build (Vite copies the `.wasm` files imported with `?url` and gives their hashed URLs).
import '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_NAMES, type BackendName } from './protocol';

setWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, import.meta.url).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, import.meta.url).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimdUrl, import.meta.url).href,
});
tf.env().set('PROD', true);

/**
 * The backends this worker can run. wasm and cpu run wherever the worker does; WebGL needs
 * `OffscreenCanvas` with a WebGL context in workers, which some browsers (and GPU-less machines
 * without a software renderer) lack. Asking for a context is much cheaper than initialising
 * TensorFlow.js's WebGL backend, which happens only when the user picks it.
 */
export function availableBackends(): BackendName[] {
  return BACKEND_NAMES.filter((name) => name !== 'webgl' || hasWorkerWebGl());
}

function hasWorkerWebGl(): boolean {
  if (typeof OffscreenCanvas === 'undefined') return false;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
  } catch {
    return false;
  }
}

/** Switches to `name`, failing with a message that names the backend. */
export async function useBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok)
    throw new Error(
      `The ${name} backend could not be initialised in this browser; pick another backend.`,
    );
  await tf.ready();
}
