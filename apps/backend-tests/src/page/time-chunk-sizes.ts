// Times the fused linear cross-entropy (forward and backward) at several chunk sizes on one
// backend, for the chunk-size benchmark (`bench/chunk-size.ts`).
import { linearCrossEntropy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { seededIds, seededTensor } from './agreement-case';
import { type BackendName, selectBackend } from './register-backends';

/** The problem size and the chunk sizes to time. */
export interface ChunkSizeTiming {
  readonly rows: number;
  readonly hidden: number;
  readonly vocabulary: number;
  readonly chunkSizes: readonly number[];
  /** Timed repetitions per chunk size (after one untimed warm-up). */
  readonly repeats: number;
}

/** Milliseconds per forward + backward pass, by chunk size. */
export interface ChunkSizeTimes {
  readonly backend: BackendName;
  readonly milliseconds: Readonly<Record<string, number>>;
}

/**
 * Times $\nabla$ of `linearCrossEntropy` with respect to the hidden states and a tied `[V, H]`
 * weight, each pass ended by an asynchronous read of both gradients (so that the GPU's work is
 * inside the time). The chunk sizes are interleaved across repetitions, so that a change of the
 * machine's load falls on all of them alike.
 */
export async function timeChunkSizes(
  backend: BackendName,
  timing: ChunkSizeTiming,
): Promise<ChunkSizeTimes> {
  await selectBackend(backend);
  const hidden = seededTensor([timing.rows, timing.hidden], 1);
  const weight = seededTensor([timing.vocabulary, timing.hidden], 2, 0.05);
  const labels = seededIds(timing.rows, 3, timing.vocabulary);
  const pass = async (chunkSize: number) => {
    const gradients = tf.grads(
      (h: tf.Tensor, w: tf.Tensor) =>
        linearCrossEntropy(h, w, labels, { weightLayout: 'vocab-by-hidden', chunkSize }).loss,
    )([hidden, weight]);
    await Promise.all(gradients.map((gradient) => gradient.data()));
    tf.dispose(gradients);
  };
  const totals: Record<string, number> = {};
  try {
    for (const chunkSize of timing.chunkSizes) await pass(chunkSize);
    for (let repeat = 0; repeat < timing.repeats; repeat++) {
      for (const chunkSize of timing.chunkSizes) {
        const started = performance.now();
        await pass(chunkSize);
        totals[chunkSize] = (totals[chunkSize] ?? 0) + performance.now() - started;
      }
    }
  } finally {
    tf.dispose([hidden, weight]);
  }
  const milliseconds: Record<string, number> = {};
  for (const [chunkSize, total] of Object.entries(totals)) {
    milliseconds[chunkSize] = total / timing.repeats;
  }
  return { backend, milliseconds };
}
