import * as tf from '@tensorflow/tfjs-core';
import type { AgreementCase } from './agreement-case';
import { type BackendName, selectBackend } from './register-backends';

/** One output as plain numbers. */
export interface OutputValues {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/** What running a case on one backend gave. */
export interface CaseResult {
  readonly backend: BackendName;
  readonly outputs: Readonly<Record<string, OutputValues>>;
  /** `tf.memory().numTensors` after minus before: 0 unless the case or the library leaks. */
  readonly leakedTensors: number;
  /** The error message, when the case threw (a missing kernel, a failing gradient, …). */
  readonly error?: string;
}

/**
 * Runs `agreementCase` on `backend`. Every output is read asynchronously (`data()`): on WebGPU a
 * synchronous read of GPU data is not possible in every browser (headless Chromium's SwiftShader
 * returns zeros and loses the device).
 */
export async function runCase(
  agreementCase: AgreementCase,
  backend: BackendName,
): Promise<CaseResult> {
  await selectBackend(backend);
  const tensorsBefore = tf.memory().numTensors;
  let dispose: (() => void) | undefined;
  let tensors: Record<string, tf.Tensor> = {};
  try {
    // The scope frees the inputs a case builds inline (as tf.tidy would, across awaits: cases run
    // one at a time); models and variables go through `dispose`.
    tf.engine().startScope();
    try {
      const run = await agreementCase.run();
      dispose = run.dispose;
      tensors = { ...run.outputs };
    } finally {
      tf.engine().endScope(Object.values(tensors));
    }
    const outputs: Record<string, OutputValues> = {};
    for (const [name, tensor] of Object.entries(tensors)) {
      outputs[name] = { shape: [...tensor.shape], values: Array.from(await tensor.data()) };
    }
    tf.dispose(Object.values(tensors));
    dispose?.();
    return { backend, outputs, leakedTensors: tf.memory().numTensors - tensorsBefore };
  } catch (error) {
    tf.dispose(Object.values(tensors));
    dispose?.();
    return {
      backend,
      outputs: {},
      leakedTensors: tf.memory().numTensors - tensorsBefore,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}
