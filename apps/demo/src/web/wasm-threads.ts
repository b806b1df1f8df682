// tfjs-backend-wasm with a chosen number of threads. Two things stand between a cross-origin
// isolated page and a threaded wasm backend in tfjs 4.22:
// - the threaded binary's pthread workers re-evaluate the Emscripten factory from its source text,
//   which minification breaks (fixed at build time by scripts/vite/tfjs-threaded-wasm.mjs);
// - the backend caps its pool at ⌊navigator.hardwareConcurrency / 2⌋ threads (it assumes two
//   hardware threads per core), read once when the module starts: on a 2-thread machine that is
//   1, whatever `setThreadsCount` asks. While the backend starts, this module reports twice the
//   wanted count, so that the cap is the count itself.
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/** tfjs-backend-wasm's own limit: its build starts 8 pthread workers. */
export const MAX_WASM_THREADS = 8;

/** The priority tfjs-backend-wasm registers itself with (kept when it is registered again). */
const WASM_PRIORITY = 2;

/** The factory tfjs-backend-wasm registered, kept to start the backend again with another count. */
const wasmFactory = tf.findBackendFactory('wasm');
let startedThreads: number | undefined;

/**
 * The threads to use: every logical core when the page is cross-origin isolated (threads need
 * `SharedArrayBuffer`), capped at {@link MAX_WASM_THREADS}; 1 otherwise.
 */
export function wasmThreadsForThisPage(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
}

/** Reports `value` as `navigator.hardwareConcurrency` while `run` runs. */
async function withReportedCores<T>(value: number, run: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => value });
  try {
    return await run();
  } finally {
    // The own property shadowed the prototype's getter; removing it restores the real value.
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Makes wasm the active backend with `threads` threads (1 = single-threaded; more needs a
 * cross-origin isolated page). A wasm backend started with another count is removed first: its
 * tensors go with it, so free the task before switching. Resolves with the threads in use.
 */
export async function useWasmWithThreads(threads: number): Promise<number> {
  if (!wasmFactory) throw new Error('tfjs-backend-wasm is not registered: import it first.');
  if (startedThreads === threads && tf.getBackend() === 'wasm') return getThreadsCount();
  if (startedThreads !== undefined && startedThreads !== threads) {
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', wasmFactory, WASM_PRIORITY);
  }
  setThreadsCount(threads);
  const ok = await withReportedCores(2 * threads, () => tf.setBackend('wasm'));
  if (!ok) throw new Error('The wasm backend could not be initialised in this browser.');
  await tf.ready();
  startedThreads = threads;
  return getThreadsCount();
}
