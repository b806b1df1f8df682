// Registers every TensorFlow.js backend the tests compare, with every gradient. The wasm binaries
// are imported with `?url`, so Vite copies them into the build and `setWasmPaths` gets their
// hashed URLs (nothing is fetched from a CDN); the threaded one is used when the page is
// cross-origin isolated.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';

setWasmPaths({
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, import.meta.url).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, import.meta.url).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedSimdUrl, import.meta.url).href,
});
tf.env().set('PROD', true);
// tfjs-webgpu runs a kernel on its embedded cpu backend when the inputs are small and still on the
// CPU: at test sizes that would test cpu against cpu. Every kernel runs on the GPU here.
tf.env().set('WEBGPU_CPU_FORWARD', false);

/** The backends a test can ask for. */
export const BACKEND_NAMES = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;
/** One of {@link BACKEND_NAMES}. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Makes `name` the active backend, failing with a message that names it. */
export async function selectBackend(name: BackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the ${name} backend could not be initialised in this browser`);
  await tf.ready();
}
