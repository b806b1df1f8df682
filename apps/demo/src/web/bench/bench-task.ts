// One benchmark run inside the bench worker: the demo task at the requested size on the requested
// backend, warm-up steps, then timed steps. Every step uses the trainer's asynchronous read-back
// (`trainStepAsync`), which every backend supports, WebGPU included.
import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import type { StepResult } from '@lm-objectives/trainer';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  createBertTask,
  createCausalTask,
  createGlmTask,
  createLoraTask,
  createPrefixTask,
  type DemoTask,
  type DemoTaskOptions,
} from '../../tasks/index';
import { demoData } from '../demo-data';
import { describeBackends } from '../describe-backends';
import { useBackend } from '../tensorflow-backends';
import { useWasmWithThreads } from '../wasm-threads';
import type { BenchRequest, BenchResult } from './bench-protocol';

/** A built task, as the benchmark drives it: one step at a time. */
interface SteppedTask {
  /** One optimizer step on the task's next window. */
  step(): Promise<StepResult>;
  dispose(): void;
}

/** Steps `task` with the trainer's asynchronous read-back. */
function stepped<Batch extends ObjectiveBatchV1>(
  task: DemoTask<Batch>,
  dispose: () => void,
): SteppedTask {
  const { trainer, objective } = task;
  return {
    step: () =>
      trainer.trainStepAsync(
        task.nextWindow({
          step: trainer.step,
          random: trainer.random,
          createBatch: (examples) =>
            objective.createBatch(examples as never[], { random: trainer.random }),
        }),
      ),
    dispose,
  };
}

/** Builds the task; LoRA and prefix tuning get a fresh (untrained) causal base of the same size. */
function buildTask(request: BenchRequest): SteppedTask {
  const { corpus, tokenizer } = demoData();
  const { name: _name, ...size } = request.size;
  const options: DemoTaskOptions = { corpus, tokenizer, seed: request.seed, ...size };
  switch (request.task) {
    case 'bert': {
      const task = createBertTask(options);
      return stepped(task, () => task.dispose());
    }
    case 'glm': {
      const task = createGlmTask(options);
      return stepped(task, () => task.dispose());
    }
    case 'causal': {
      const task = createCausalTask(options);
      return stepped(task, () => task.dispose());
    }
    default: {
      const base = createCausalTask(options);
      const task =
        request.task === 'lora'
          ? createLoraTask({ ...options, base: base.model })
          : createPrefixTask({ ...options, base: base.model });
      return stepped(task, () => {
        task.dispose();
        base.dispose();
      });
    }
  }
}

/** Runs `request` and measures it. */
export async function runBenchTask(request: BenchRequest): Promise<BenchResult> {
  if (request.backend === 'wasm') await useWasmWithThreads(request.threads ?? 1);
  else await useBackend(request.backend);
  const facts = (await describeBackends()).find((entry) => entry.name === request.backend)!;
  const before = tf.memory().numTensors;
  const task = buildTask(request);
  const losses: number[] = [];
  let tokensPerStep = 0;
  let timedSteps = 0;
  let elapsed = 0;
  try {
    for (let index = 0; index < request.warmupSteps; index++) {
      losses.push((await task.step()).loss);
    }
    const started = performance.now();
    while (timedSteps < request.measuredSteps) {
      const result = await task.step();
      losses.push(result.loss);
      tokensPerStep = result.tokens;
      timedSteps++;
      elapsed = performance.now() - started;
      if (timedSteps >= 2 && elapsed > request.maxSeconds * 1000) break;
    }
  } finally {
    task.dispose();
  }
  const threads = request.backend === 'wasm' ? getThreadsCount() : undefined;
  return {
    request,
    backend: tf.getBackend(),
    adapter:
      threads === undefined
        ? facts.detail
        : `${threads > 1 ? 'threaded ' : ''}SIMD binary, ${threads} thread${threads > 1 ? 's' : ''}`,
    emulated: facts.software,
    ...(threads === undefined ? {} : { threads }),
    tokensPerStep,
    timedSteps,
    stepMilliseconds: timedSteps > 0 ? elapsed / timedSteps : 0,
    tokensPerSecond: elapsed > 0 ? (tokensPerStep * timedSteps) / (elapsed / 1000) : 0,
    losses,
    tensors: { before, after: tf.memory().numTensors },
  };
}
