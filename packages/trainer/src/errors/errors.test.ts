import { LmObjectivesError } from '@lm-objectives/core';
import { describe, expect, it } from 'vitest';
import { BackendProbeError } from './backend-probe-error';
import { NonFiniteStepError } from './non-finite-step-error';
import { TensorLeakError } from './tensor-leak-error';
import { TrainingAbortedError } from './training-aborted-error';

describe('trainer errors', () => {
  const leak = new TensorLeakError({
    step: 7,
    phase: 'update',
    tensorsBefore: 100,
    tensorsAfter: 114,
    bytesGrowth: 2048,
  });
  const probe = new BackendProbeError({
    backend: 'wasm',
    objectiveId: 'acme/x',
    missingKernels: ['A', 'B'],
    missingGradients: ['C'],
    nonFinite: [],
    fix: 'do something.',
  });
  const aborted = new TrainingAbortedError(3, new Error('stop'));
  const nonFinite = new NonFiniteStepError(4, Number.NaN, Number.POSITIVE_INFINITY);

  it('say what grew, where, and how to fix it', () => {
    expect(leak.growth).toBe(14);
    expect(leak.message).toBe(
      "trainStep: step 7 leaked 14 tensors (2048 bytes): tf.memory().numTensors went from 100 to 114, after the gradients were computed (clipping, the optimizer update or a callback). At this rate the run gains 14000 tensors every 1000 steps. Fix: return new tensors only through the outputs, create variables once outside the model function, and free cached tensors; pass leakGuard: 'warn' or 'off' only if the growth is intended.",
    );
    expect(probe.message).toBe(
      "probeBackend: the 'wasm' backend cannot train objective 'acme/x' with this model: the kernels 'A', 'B' are not registered for this backend; no gradient is registered for 'C'. Fix: do something.",
    );
    expect(aborted.message).toBe('train: aborted after step 3 (stop).');
    expect(new TrainingAbortedError(0, undefined).message).toBe(
      'train: aborted after step 0 (no reason given).',
    );
    expect(nonFinite.message).toMatch(
      /^trainStep: step 4 gave loss NaN and gradient norm Infinity; the update was not applied. Fix: /,
    );
  });

  it('are recognised by marker (across duplicate installs) and as lm-objectives errors', () => {
    for (const [error, type] of [
      [leak, TensorLeakError],
      [probe, BackendProbeError],
      [aborted, TrainingAbortedError],
      [nonFinite, NonFiniteStepError],
    ] as const) {
      expect(type.isInstance(error)).toBe(true);
      expect(LmObjectivesError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
    }
    expect(TensorLeakError.isInstance(probe)).toBe(false);
    expect(BackendProbeError.isInstance(new Error('x'))).toBe(false);
    expect(TrainingAbortedError.isInstance(null)).toBe(false);
    // A copy from another install: same marker, different class.
    const foreign = { [Symbol.for('lm-objectives.error.tensor-leak')]: true };
    expect(TensorLeakError.isInstance(foreign)).toBe(true);
  });
});
