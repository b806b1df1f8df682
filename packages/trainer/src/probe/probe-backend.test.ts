import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { BackendProbeError } from '../errors/backend-probe-error';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
} from '../test-support/trainer-fixtures';
import { createTrainer } from '../trainer/create-trainer';
import { probeBackend } from './probe-backend';

const batch = makeTinyBatch(randomExamples([4, 6], 3));

async function caught(promise: Promise<unknown>): Promise<BackendProbeError> {
  try {
    await promise;
  } catch (error) {
    expect(BackendProbeError.isInstance(error)).toBe(true);
    return error as BackendProbeError;
  }
  throw new Error('the probe did not throw');
}

describeEachBackend('probeBackend', (backend) => {
  it('passes on a backend that has everything, listing the kernels of a full step', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const before = Array.from(model.variables[1]!.dataSync());
    const report = await probeBackend({ objective, model, batch });
    expect(report.backend).toBe(backend);
    expect(report.objectiveId).toBe('mock/next-token');
    expect(report.kernels).toEqual(
      expect.arrayContaining(['Tanh', 'BatchMatMul', 'Sqrt', 'ScatterNd']),
    );
    expect(Number.isFinite(report.loss)).toBe(true);
    expect(report.gradientNorm).toBeGreaterThan(0);
    expect(report.variablesWithoutGradient).toEqual([]);
    // The AdamW update ran on scratch copies: the real weights did not move.
    expect(Array.from(model.variables[1]!.dataSync())).toEqual(before);
    model.dispose();
  });

  it('reports a missing kernel by name (simulated by unregistering Tanh)', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const tanh = tf.getKernel('Tanh', backend)!;
    tf.unregisterKernel('Tanh', backend);
    try {
      const error = await caught(probeBackend({ objective, model, batch }));
      expect(error.missingKernels).toEqual(['Tanh']);
      expect(error.backend).toBe(backend);
      expect(error.message).toBe(
        `probeBackend: the '${backend}' backend cannot train objective 'mock/next-token' with this model: the kernel 'Tanh' is not registered for this backend. Fix: avoid the op that runs 'Tanh', or register a 'Tanh' kernel for '${backend}'; or train on a backend that has everything (tf.setBackend('cpu') always does).`,
      );
    } finally {
      tf.registerKernel(tanh);
    }
    model.dispose();
  });

  it('checks kernels named in requiredKernels without running them', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const error = await caught(
      probeBackend({ objective, model, batch, requiredKernels: ['Tanh', 'NoSuchKernel'] }),
    );
    expect(error.missingKernels).toEqual(['NoSuchKernel']);
    model.dispose();
  });

  it('reports non-finite values instead of training into NaN', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    tf.tidy(() => model.variables[3]!.assign(tf.fill([6, 11], Number.POSITIVE_INFINITY)));
    const error = await caught(probeBackend({ objective, model, batch }));
    expect(error.nonFinite).toContain('loss');
    expect(error.message).toMatch(/a tiny step gave non-finite values in loss/);
    model.dispose();
  });

  it('refuses a batch that scores nothing with a typed error about the batch, not a BackendProbeError', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const empty = makeTinyBatch([Int32Array.from([3])]);
    await expect(probeBackend({ objective, model, batch: empty })).rejects.toThrow(
      /probeBackend: argument 'batch' is invalid. Expected a batch with at least one scored token.*score nothing \(nextToken: 0\)/,
    );
    model.dispose();
  });

  it('names variables that receive no gradient', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const unused = tf.tidy(() => tf.variable(tf.zeros([2]), true, 'unused-weight'));
    const report = await probeBackend({
      objective,
      model: { ...model, variables: [...model.variables, unused] },
      batch,
    });
    expect(report.variablesWithoutGradient).toEqual(['unused-weight']);
    unused.dispose();
    model.dispose();
  });

  it('wraps an error of the model itself, without blaming a kernel', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const broken = {
      ...model,
      apply: () => {
        throw new Error('shape bug in my model');
      },
    };
    const error = await caught(probeBackend({ objective, model: broken, batch }));
    expect(error.missingKernels).toEqual([]);
    expect(error.message).toMatch(/a tiny forward and backward pass failed: shape bug in my model/);
    model.dispose();
  });

  it('runs before the first step of train and stops it there', async () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const trainer = createTrainer({ objective, model });
    const tanh = tf.getKernel('Tanh', backend)!;
    tf.unregisterKernel('Tanh', backend);
    try {
      await expect(trainer.train({ totalSteps: 5, nextWindow: () => [batch] })).rejects.toThrow(
        /the kernel 'Tanh' is not registered/,
      );
      expect(trainer.step).toBe(0);
    } finally {
      tf.registerKernel(tanh);
    }
    trainer.dispose();
    model.dispose();
  });

  if (backend === 'wasm') {
    it("names the kernel a real wasm gap needs: tf.gather's gradient (UnsortedSegmentSum)", async () => {
      const objective = createTinyObjective();
      const model = createTinyModel();
      const naive = {
        ...model,
        apply: ({ tensors }: Parameters<typeof model.apply>[0]) => {
          // The naive embedding lookup, whose gradient the wasm backend cannot compute.
          const [table, kernel, bias, output] = model.variables;
          const ids = tensors['inputIds']!;
          const embedded = tf.gather(table!, tf.reshape(ids, [-1]));
          const hidden = tf.tanh(tf.add(tf.matMul(embedded, kernel!), bias!));
          return { logits: tf.reshape(tf.matMul(hidden, output!), [...ids.shape, 11]) };
        },
      };
      const error = await caught(probeBackend({ objective, model: naive, batch }));
      expect(error.missingKernels).toEqual(['UnsortedSegmentSum']);
      expect(error.fix).toMatch(/embeddingLookup from @lm-objectives\/core/);
      model.dispose();
    });
  }
});
