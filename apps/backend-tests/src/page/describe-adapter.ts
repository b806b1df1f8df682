// What WebGPU offers this page, seen by the browser and by TensorFlow.js.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './register-backends';

/** The adapter as `navigator.gpu` and tfjs-backend-webgpu report it. */
export interface AdapterReport {
  /** `navigator.gpu.requestAdapter()`'s info, or `null` without an adapter. */
  readonly adapter: { vendor: string; architecture: string; description: string } | null;
  /** `tf.getBackend()` after selecting WebGPU. */
  readonly backend: string;
  /** tfjs-backend-webgpu's own record of the adapter. */
  readonly tfjsAdapter: { vendor?: string; architecture?: string };
  /** `a + b` computed on the GPU and read back asynchronously. */
  readonly sum: number[];
}

/** Asks for an adapter, starts tfjs-backend-webgpu on it and runs one kernel. */
export async function describeAdapter(): Promise<AdapterReport> {
  const adapter = await navigator.gpu?.requestAdapter();
  await selectBackend('webgpu');
  const backend = tf.backend() as unknown as {
    adapterInfo?: { vendor?: string; architecture?: string };
  };
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.tensor1d([10, 20, 30])));
  const values = Array.from(await sum.data());
  sum.dispose();
  return {
    adapter: adapter
      ? {
          vendor: adapter.info.vendor,
          architecture: adapter.info.architecture,
          description: adapter.info.description,
        }
      : null,
    backend: tf.getBackend(),
    tfjsAdapter: {
      ...(backend.adapterInfo?.vendor === undefined ? {} : { vendor: backend.adapterInfo.vendor }),
      ...(backend.adapterInfo?.architecture === undefined
        ? {}
        : { architecture: backend.adapterInfo.architecture }),
    },
    sum: values,
  };
}
