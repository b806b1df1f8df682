// TensorFlow.js backends inside the worker. The umbrella package registers the cpu and WebGL
// backends and every gradient; the WebGPU and wasm backends are registered here, the wasm binaries
// served from the build (Vite copies the `.wasm` files imported with `?url` and gives their hashed
// URLs; the threaded one is used when the page is cross-origin isolated).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './protocol';
import { useWasmWithThreads, wasmThreadsForThisPage } from './wasm-threads';

setWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, import.meta.url).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, import.meta.url).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimdUrl, import.meta.url).href,
});
tf.env().set('PROD', true);

/**
 * Switches to `name`, failing with a message that names the backend. wasm runs with
 * {@link wasmThreadsForThisPage} threads.
 */
export async function useBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') {
    await useWasmWithThreads(wasmThreadsForThisPage());
    return;
  }
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok)
    throw new Error(
      `The ${name} backend could not be initialised in this browser; pick another backend.`,
    );
  await tf.ready();
}
