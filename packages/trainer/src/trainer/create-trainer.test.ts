import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it, vi } from 'vitest';
import { NonFiniteStepError } from '../errors/non-finite-step-error';
import { TensorLeakError } from '../errors/tensor-leak-error';
import { TrainingAbortedError } from '../errors/training-aborted-error';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  patternExamples,
  randomExamples,
  type TinyBatch,
} from '../test-support/trainer-fixtures';
import { createTrainer } from './create-trainer';
import type { TrainingProgress } from './progress-event';

function setUp(options: { seed?: number; modelSeed?: number } = {}) {
  const objective = createTinyObjective();
  const model = createTinyModel({ seed: options.modelSeed ?? 7 });
  const trainer = createTrainer({
    objective,
    model,
    learningRate: 0.05,
    seed: options.seed ?? 1,
  });
  const close = () => {
    trainer.dispose();
    model.dispose();
  };
  return { objective, model, trainer, close };
}

/** A window from the trainer's random source: two micro-batches of random lengths. */
function patternWindow({
  random,
}: {
  random: { int(min: number, max: number): number };
}): TinyBatch[] {
  return [0, 1].map(() => makeTinyBatch(patternExamples(2, random.int(4, 8), random.int(0, 9))));
}

describeEachBackend('createTrainer', () => {
  it('lowers the loss of a learnable pattern', async () => {
    const { trainer, close } = setUp();
    const losses: number[] = [];
    await trainer.train({
      totalSteps: 60,
      nextWindow: patternWindow,
      onProgress: (progress) => {
        losses.push(progress.loss);
      },
    });
    expect(losses).toHaveLength(60);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.5);
    close();
  });

  it('applies the same update for K accumulated micro-batches as for one batch of all of them', () => {
    const examples = randomExamples([5, 3, 9, 2, 7, 4], 99);
    const window = [
      makeTinyBatch(examples.slice(0, 2)),
      makeTinyBatch(examples.slice(2, 5)),
      makeTinyBatch(examples.slice(5)),
    ];
    const accumulated = setUp();
    const single = setUp();
    const a = accumulated.trainer.trainStep(window);
    const b = single.trainer.trainStep([makeTinyBatch(examples)]);
    expect(a.loss).toBeCloseTo(b.loss, 5);
    expect(a.gradientNorm).toBeCloseTo(b.gradientNorm, 5);
    expect(a.parts.nextToken.count).toBe(24);
    expect(a.microBatches).toBe(3);
    accumulated.trainer.variables.forEach((variable, index) => {
      expectRelativelyClose(
        variable.dataSync(),
        single.trainer.variables[index]!.dataSync(),
        1e-5,
        `variable ${index} after the step`,
      );
    });
    accumulated.close();
    single.close();
  });

  it('the leak guard catches a model that keeps a tensor per call, naming the growth', () => {
    const { objective, model, close } = setUp();
    const cache: tf.Tensor[] = [];
    const leaky = {
      ...model,
      apply: (inputs: Parameters<typeof model.apply>[0]) => {
        cache.push(tf.keep(tf.ones([4]))); // a "cached" mask recreated on every call
        return model.apply(inputs);
      },
    };
    const trainer = createTrainer({ objective, model: leaky, seed: 1 });
    const window = [makeTinyBatch(randomExamples([4, 6], 5))];
    let caught: unknown;
    try {
      trainer.trainStep(window);
    } catch (error) {
      caught = error;
    }
    expect(TensorLeakError.isInstance(caught)).toBe(true);
    const leak = caught as TensorLeakError;
    expect(leak.growth).toBe(1);
    expect(leak.step).toBe(1);
    expect(leak.phase).toBe('model-or-objective');
    expect(leak.bytesGrowth).toBe(16);
    expect(leak.message).toMatch(
      /^trainStep: step 1 leaked 1 tensor \(16 bytes\): tf.memory\(\).numTensors went from \d+ to \d+, inside the forward\/backward pass/,
    );
    tf.dispose(cache);
    trainer.dispose();
    close();
  });

  it('the leak guard catches a model that creates a variable on every call; warn mode reports and goes on', () => {
    const { objective, model, close } = setUp();
    const created: tf.Variable[] = [];
    const leaky = {
      ...model,
      apply: (inputs: Parameters<typeof model.apply>[0]) => {
        created.push(tf.variable(tf.zeros([2, 2]), false));
        return model.apply(inputs);
      },
    };
    const warnings: string[] = [];
    const trainer = createTrainer({
      objective,
      model: leaky,
      leakGuard: 'warn',
      onWarning: (message) => warnings.push(message),
    });
    const window = [makeTinyBatch(randomExamples([4, 6], 5))];
    trainer.trainStep(window);
    trainer.trainStep(window);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/step 2 leaked 1 tensor/);
    tf.dispose(created);
    trainer.dispose();
    close();
  });

  it('keeps the tensor count flat over a 1000-step run of a tiny model', () => {
    const { trainer, close } = setUp();
    const counts = new Set<number>();
    // One small micro-batch: the point is the tensor count, and the cpu backend is slow.
    const window = [makeTinyBatch(patternExamples(1, 6, 3))];
    const before = tf.memory().numTensors;
    let last = trainer.trainStep(window);
    for (let step = 1; step < 1000; step++) {
      last = trainer.trainStep(window);
      counts.add(last.numTensors);
    }
    expect(trainer.step).toBe(1000);
    expect([...counts]).toEqual([before]);
    expect(last.loss).toBeLessThan(0.5);
    close();
  });

  it('stops on a non-finite loss without touching the weights, or skips the step when asked', () => {
    const { objective, model, close } = setUp();
    const window = [makeTinyBatch(randomExamples([4, 6], 5))];
    tf.tidy(() => model.variables[3]!.assign(tf.fill([6, 11], Number.NaN)));
    const trainer = createTrainer({ objective, model });
    const kernel = Array.from(model.variables[1]!.dataSync());
    expect(() => trainer.trainStep(window)).toThrow(NonFiniteStepError);
    expect(Array.from(model.variables[1]!.dataSync())).toEqual(kernel);
    expect(trainer.step).toBe(0);
    const warnings: string[] = [];
    const skipping = createTrainer({
      objective,
      model,
      nonFinite: 'skip-step',
      onWarning: (message) => warnings.push(message),
    });
    const result = skipping.trainStep(window);
    expect(result.skipped).toBe(true);
    expect(skipping.step).toBe(1);
    expect(warnings[0]).toMatch(/step 1 skipped: loss NaN/);
    expect(Array.from(model.variables[1]!.dataSync())).toEqual(kernel);
    trainer.dispose();
    skipping.dispose();
    close();
  });

  it('reports progress with the loss, its parts, the learning rate, tokens/s and memory', async () => {
    const { trainer, close } = setUp();
    const events: TrainingProgress<'nextToken'>[] = [];
    const summary = await trainer.train({
      totalSteps: 3,
      nextWindow: ({ createBatch, random }) => [
        createBatch(randomExamples([3 + random.int(0, 3), 5], random.int(0, 1000))),
      ],
      onProgress: (progress) => {
        events.push(progress);
      },
    });
    expect(events.map((event) => event.step)).toEqual([1, 2, 3]);
    const event = events[2]!;
    expect(event.totalSteps).toBe(3);
    expect(event.parts.nextToken.loss).toBeCloseTo(event.loss, 6);
    expect(event.parts.nextToken.sum / event.parts.nextToken.count).toBeCloseTo(event.loss, 5);
    expect(event.metrics['accuracy']).toBeGreaterThanOrEqual(0);
    expect(event.learningRate).toBe(0.05);
    expect(event.tokensPerSecond).toBeGreaterThan(0);
    expect(event.memory.numTensors).toBe(tf.memory().numTensors);
    expect(event.tokens).toBeGreaterThan(0);
    expect(summary).toMatchObject({ step: 3, stepsRun: 3 });
    expect(summary.last?.loss).toBe(event.loss);
    close();
  });

  it('evaluate gives the loss a step would train on, without changing the weights', () => {
    const { trainer, close } = setUp();
    const window = [
      makeTinyBatch(randomExamples([4, 6], 8)),
      makeTinyBatch(randomExamples([9], 9)),
    ];
    const before = Array.from(trainer.variables[0]!.dataSync());
    const evaluated = trainer.evaluate(window);
    expect(Array.from(trainer.variables[0]!.dataSync())).toEqual(before);
    const trained = trainer.trainStep(window);
    expect(evaluated.loss).toBeCloseTo(trained.loss, 6);
    expect(evaluated.parts.nextToken.count).toBe(trained.parts.nextToken.count);
    close();
  });

  it('stops between steps when the signal aborts, and can continue afterwards', async () => {
    const { trainer, close } = setUp();
    const controller = new AbortController();
    const run = trainer.train({
      totalSteps: 10,
      nextWindow: patternWindow,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.step === 3) controller.abort(new Error('user pressed stop'));
      },
    });
    await expect(run).rejects.toThrow(/train: aborted after step 3 \(user pressed stop\)/);
    await run.catch((error: unknown) => {
      expect(TrainingAbortedError.isInstance(error)).toBe(true);
      expect((error as TrainingAbortedError).step).toBe(3);
    });
    expect(trainer.step).toBe(3);
    const summary = await trainer.train({ totalSteps: 5, nextWindow: patternWindow });
    expect(summary).toMatchObject({ step: 5, stepsRun: 2 });
    close();
  });

  it('yields to the event loop, so a timer or an abort from outside gets through mid-run', async () => {
    const { trainer, close } = setUp();
    const controller = new AbortController();
    let stepWhenTimerFired = -1;
    setTimeout(() => {
      stepWhenTimerFired = trainer.step;
      controller.abort();
    }, 20);
    await expect(
      trainer.train({
        totalSteps: 1_000_000,
        nextWindow: patternWindow,
        signal: controller.signal,
        yieldIntervalMs: 0,
      }),
    ).rejects.toThrow(TrainingAbortedError);
    expect(stepWhenTimerFired).toBeGreaterThan(0);
    expect(trainer.step).toBe(stepWhenTimerFired);
    close();
  });

  it('draws batches from its own seeded random source', async () => {
    const lengths = async (seed: number) => {
      const { trainer, close } = setUp({ seed });
      const drawn: number[] = [];
      await trainer.train({
        totalSteps: 4,
        nextWindow: (context) => {
          const window = patternWindow(context);
          drawn.push(...window.map((batch) => batch.dimensions['sequence']!));
          return window;
        },
      });
      close();
      return drawn;
    };
    expect(await lengths(3)).toEqual(await lengths(3));
    expect(await lengths(3)).not.toEqual(await lengths(4));
  });

  it('trains the objective weights too, and never a tied weight twice', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    const head = tf.tidy(() => tf.variable(tf.ones([3, 3])));
    const withHead = { ...objective, trainableWeights: () => [head, model.variables[0]!] };
    const trainer = createTrainer({ objective: withHead, model });
    expect(trainer.variables).toEqual([...model.variables, head]);
    // Decay on the two kernels and the head; not on the embedding table or the bias.
    expect(trainer.weightDecayMask).toEqual([false, true, false, true, true]);
    trainer.dispose();
    head.dispose();
    model.dispose();
  });

  it('reports int32 metrics as float averages over the micro-batches', () => {
    const objective = createTinyObjective();
    const model = createTinyModel();
    let call = 0;
    const counting = {
      ...objective,
      computeLoss: (input: Parameters<typeof objective.computeLoss>[0]) => {
        const result = objective.computeLoss(input);
        // 1 then 2: an int32 mean would floor 1.5 to 1.
        return {
          ...result,
          metrics: { ...result.metrics, rows: tf.scalar(1 + (call++ % 2), 'int32') },
        };
      },
    };
    const trainer = createTrainer({ objective: counting, model });
    const window = [makeTinyBatch(randomExamples([4], 1)), makeTinyBatch(randomExamples([5], 2))];
    expect(trainer.trainStep(window).metrics['rows']).toBe(1.5);
    expect(trainer.evaluate(window).metrics['rows']).toBe(1.5);
    trainer.dispose();
    model.dispose();
  });

  it('refuses bad options with the argument, expectation and fix', () => {
    const { objective, model, close } = setUp();
    expect(() => createTrainer({ objective, model, maxGradientNorm: 0 })).toThrow(
      /createTrainer: argument 'options.maxGradientNorm' is invalid/,
    );
    expect(() => createTrainer({ objective, model, leakGuard: 'sometimes' as 'off' })).toThrow(
      /options.leakGuard/,
    );
    expect(() => createTrainer({ objective, model: { ...model, variables: [] } })).toThrow(
      /at least one trainable tf.Variable/,
    );
    const trainer = createTrainer({ objective, model });
    expect(() => trainer.trainStep([])).toThrow(/trainStep: argument 'window' is invalid/);
    trainer.dispose();
    expect(() => trainer.trainStep([makeTinyBatch(randomExamples([3], 1))])).toThrow(/disposed/);
    close();
  });

  it('warns through console.warn by default', () => {
    const { objective, model, close } = setUp();
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => {});
    tf.tidy(() => model.variables[3]!.assign(tf.fill([6, 11], Number.NaN)));
    const trainer = createTrainer({ objective, model, nonFinite: 'skip-step' });
    trainer.trainStep([makeTinyBatch(randomExamples([4], 5))]);
    expect(spy).toHaveBeenCalledWith(expect.stringMatching(/skipped/));
    spy.mockRestore();
    trainer.dispose();
    close();
  });
});
