// Builds the task module for an objective. BERT, GLM and the causal LM train from scratch; LoRA
// and prefix tuning fine-tune a pre-trained causal decoder, so for them the causal task trains
// first (reported as "preparing") and its model becomes their frozen base. The trained base is
// kept for the next fine-tuning load with the same seed, backend and length, so switching
// between LoRA and prefix tuning does not pre-train again.
import {
  type CausalTask,
  createBertTask,
  createCausalTask,
  createGlmTask,
  createLoraTask,
  createPrefixTask,
  type DemoTask,
  type DemoTaskOptions,
} from '../tasks/index';
import type { BackendName, ObjectiveName } from './protocol';

/** Progress of the base model's pre-training, for the status line. */
export type PreparationProgress = (step: number, totalSteps: number) => void;

/**
 * What the worker uses of a task: the parts that do not depend on the objective's batch type (a
 * `DemoTask<BertBatch>` is not a `DemoTask<ObjectiveBatchV1>`, since the batch type appears in
 * both argument and result positions).
 */
export type RunnableTask = Pick<
  DemoTask,
  | 'id'
  | 'title'
  | 'description'
  | 'totalSteps'
  | 'vocabularySize'
  | 'parameterCounts'
  | 'train'
  | 'samplePredictions'
  | 'explain'
  | 'dispose'
> & { readonly trainer: { readonly step: number } };

/** What to build: the objective, its common options and where the base comes from. */
export interface TaskRequest {
  readonly objective: ObjectiveName;
  readonly backend: BackendName;
  readonly options: DemoTaskOptions;
  /** Pre-training steps of the causal base for LoRA / prefix tuning (default: the causal task's run). */
  readonly baseSteps: number | undefined;
}

/** Builds tasks, keeping one pre-trained causal base for the fine-tuning objectives. */
export interface TaskFactory {
  create(
    request: TaskRequest,
    onPreparation: PreparationProgress,
    signal: AbortSignal,
  ): Promise<RunnableTask>;
  /** Frees the cached base (the current task must have been disposed first). */
  dispose(): void;
}

/** The cache key of a pre-trained base: the same seed, backend and run length give the same base. */
export function baseKey(request: TaskRequest): string {
  return JSON.stringify([
    request.options.seed ?? 1,
    request.backend,
    request.baseSteps ?? 'default',
  ]);
}

/** A factory with an empty base cache. */
export function createTaskFactory(): TaskFactory {
  let base: { readonly key: string; readonly task: CausalTask } | undefined;

  async function pretrainedBase(
    request: TaskRequest,
    onPreparation: PreparationProgress,
    signal: AbortSignal,
  ): Promise<CausalTask> {
    const key = baseKey(request);
    if (base?.key === key) return base.task;
    base?.task.dispose();
    base = undefined;
    const task = createCausalTask({
      ...request.options,
      ...(request.baseSteps === undefined ? {} : { steps: request.baseSteps }),
    });
    try {
      await task.train({
        signal,
        onProgress: (progress) => onPreparation(progress.step, progress.totalSteps),
      });
    } catch (error) {
      task.dispose();
      throw error;
    }
    base = { key, task };
    return task;
  }

  return {
    async create(request, onPreparation, signal) {
      const { objective, options } = request;
      if (objective === 'bert') return createBertTask(options);
      if (objective === 'glm') return createGlmTask(options);
      if (objective === 'causal') return createCausalTask(options);
      const pretrained = await pretrainedBase(request, onPreparation, signal);
      return objective === 'lora'
        ? createLoraTask({ ...options, base: pretrained.model })
        : createPrefixTask({ ...options, base: pretrained.model });
    },
    dispose() {
      base?.task.dispose();
      base = undefined;
    },
  };
}
