// A long training run that watches TensorFlow.js's memory: tensors, bytes, and on WebGPU the GPU
// buffers in use and allocated (tfjs-webgpu reuses freed buffers from a pool, so its allocation
// grows until the pool covers a step, then stays flat).
import * as tf from '@tensorflow/tfjs-core';
import { createConditionalFixture } from './conditional-fixture';
import { type BackendName, selectBackend } from './register-backends';

/** One reading of `tf.memory()`. */
export interface MemoryReading {
  readonly numTensors: number;
  readonly numBytes: number;
  /** WebGPU and WebGL: bytes of the live tensors on the GPU. */
  readonly numBytesInGPU?: number;
  /** WebGPU: bytes of every GPU buffer allocated, pooled ones included. */
  readonly numBytesAllocatedInGPU?: number;
}

/** The readings of {@link memoryRun}. */
export interface MemoryRunReport {
  readonly backend: BackendName;
  /** Before the model was built. */
  readonly before: MemoryReading;
  /** After each step. */
  readonly steps: readonly MemoryReading[];
  /** After everything was disposed. */
  readonly after: MemoryReading;
}

/**
 * Flushes the backend's queued work: tfjs-webgpu frees the small uniform buffers of the last
 * kernels at its next submission, and would count them as GPU bytes in use until then.
 */
async function settle(): Promise<void> {
  const flushed = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  await flushed.data();
  flushed.dispose();
  const again = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  await again.data();
  again.dispose();
}

function reading(): MemoryReading {
  const memory = tf.memory() as tf.MemoryInfo & {
    numBytesInGPU?: number;
    numBytesAllocatedInGPU?: number;
  };
  return {
    numTensors: memory.numTensors,
    numBytes: memory.numBytes,
    ...(memory.numBytesInGPU === undefined ? {} : { numBytesInGPU: memory.numBytesInGPU }),
    ...(memory.numBytesAllocatedInGPU === undefined
      ? {}
      : { numBytesAllocatedInGPU: memory.numBytesAllocatedInGPU }),
  };
}

/**
 * Trains the conditional fixture for `steps` steps with `trainer.train` (backend probe, async
 * read-back, evaluation every 10 steps), reading the memory after each step. `fixedLength` gives
 * every batch the same shape (tfjs-webgpu pools buffers by byte size, so each new shape adds to
 * the pool until every shape has been seen).
 */
export async function memoryRun(
  backend: BackendName,
  steps: number,
  fixedLength: boolean,
): Promise<MemoryRunReport> {
  await selectBackend(backend);
  await settle();
  const before = reading();
  const fixture = createConditionalFixture({ fixedLength });
  const readings: MemoryReading[] = [];
  try {
    await fixture.trainer.train({
      totalSteps: steps,
      nextWindow: ({ step, random }) => fixture.window(step, random),
      yieldIntervalMs: 0,
      onProgress: async (progress) => {
        if (progress.step % 10 === 0) {
          await fixture.trainer.evaluateAsync(
            fixture.window(1000 + progress.step, fixture.trainer.random),
          );
        }
        readings.push(reading());
      },
    });
  } finally {
    fixture.dispose();
  }
  await settle();
  return { backend, before, steps: readings, after: reading() };
}
