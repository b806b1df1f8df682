// Builds the task module for an objective and owns the causal models the fine-tuning objectives
// build on. BERT and GLM go on from their shipped checkpoints by default (or start from fresh
// weights), the causal LM trains from scratch. LoRA and prefix tuning fine-tune a
// frozen causal decoder: by default the shipped checkpoint (loaded once per backend), or a causal
// model pre-trained on this page — the one "Causal LM" trained, if it has trained with the same
// seed and backend, else a fresh one trained first (reported as "preparing").
import type { CausalDecoder } from '@lm-objectives/models';
import {
  BERT_TASK_DEFAULTS,
  type CausalTask,
  createBertTask,
  createCausalTask,
  createGlmTask,
  createLoraTask,
  createPrefixTask,
  type DemoTask,
  type DemoTaskOptions,
  GLM_TASK_DEFAULTS,
} from '../tasks/index';
import { decodeCheckpoint, loadCausalCheckpoint } from '../tasks/model-checkpoint';
import type { BackendName, BaseSource, ModelStart, ObjectiveName } from './protocol';

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
  | 'baseline'
  | 'train'
  | 'evaluate'
  | 'samplePredictions'
  | 'explain'
  | 'dispose'
> & { readonly trainer: { readonly step: number } };

/** What to build: the objective, its common options and where a fine-tuning base comes from. */
export interface TaskRequest {
  readonly objective: ObjectiveName;
  readonly backend: BackendName;
  readonly options: DemoTaskOptions;
  /** BERT, GLM: their shipped checkpoint or fresh weights; LoRA, prefix tuning: the shipped causal checkpoint or a base pre-trained on this page. */
  readonly base: BaseSource;
  /** Pre-training steps of a page-trained base (default: the causal task's run). */
  readonly baseSteps: number | undefined;
}

/** A built task and where its model started. */
export interface BuiltTask {
  readonly task: RunnableTask;
  readonly start: ModelStart;
}

/** Builds tasks and keeps the causal models that fine-tuning reuses. */
export interface TaskFactory {
  create(
    request: TaskRequest,
    onPreparation: PreparationProgress,
    signal: AbortSignal,
  ): Promise<BuiltTask>;
  /** Frees a task the worker is done with (a causal task stays while it can serve as a base). */
  release(task: RunnableTask): void;
  /** Frees everything (the current task must have been released first). */
  dispose(): void;
}

/** Reads a shipped checkpoint's bytes (fetched from the build in the browser). */
export type CheckpointSource = (task: 'bert' | 'glm' | 'causal') => Promise<Uint8Array>;

/** The cache key of a page-trained base: the same seed and backend give the same base. */
export function baseKey(request: Pick<TaskRequest, 'options' | 'backend'>): string {
  return JSON.stringify([request.options.seed ?? 1, request.backend]);
}

/** A factory with empty caches. */
export function createTaskFactory(readCheckpoint: CheckpointSource): TaskFactory {
  /** The latest causal task of the page (trained by "Causal LM" or as a LoRA / prefix base). */
  let pageCausal: { readonly key: string; readonly task: CausalTask } | undefined;
  let shipped:
    | { readonly backend: BackendName; readonly model: CausalDecoder; readonly steps: number }
    | undefined;
  const checkpointBytes = new Map<string, Uint8Array>();
  async function bytesOf(task: 'bert' | 'glm' | 'causal'): Promise<Uint8Array> {
    const cached = checkpointBytes.get(task) ?? (await readCheckpoint(task));
    checkpointBytes.set(task, cached);
    return cached;
  }

  /** BERT or GLM: from fresh weights, or from its shipped checkpoint at the schedule's floor. */
  async function pretrainingTask(request: TaskRequest): Promise<BuiltTask> {
    const objective = request.objective === 'bert' ? 'bert' : 'glm';
    const create = objective === 'bert' ? createBertTask : createGlmTask;
    if (request.base === 'scratch')
      return { task: create(request.options), start: { kind: 'scratch' } };
    const checkpoint = await bytesOf(objective);
    const defaults = objective === 'bert' ? BERT_TASK_DEFAULTS : GLM_TASK_DEFAULTS;
    const task = create({
      ...request.options,
      checkpoint,
      learningRate: defaults.learningRate / 10,
    });
    return { task, start: { kind: 'pretrained', steps: checkpointSteps(checkpoint) } };
  }

  function replacePageCausal(next: typeof pageCausal): void {
    if (pageCausal && pageCausal.task !== next?.task) pageCausal.task.dispose();
    pageCausal = next;
  }

  async function shippedBase(request: TaskRequest): Promise<BuiltBase> {
    if (shipped?.backend !== request.backend) {
      shipped?.model.dispose();
      shipped = undefined;
      const bytes = await bytesOf('causal');
      const { model, metadata } = loadCausalCheckpoint(bytes, request.options.tokenizer);
      shipped = { backend: request.backend, model, steps: Number(metadata.training['steps']) };
    }
    return { model: shipped.model, start: { kind: 'checkpoint', steps: shipped.steps } };
  }

  async function pageBase(
    request: TaskRequest,
    onPreparation: PreparationProgress,
    signal: AbortSignal,
  ): Promise<BuiltBase> {
    const key = baseKey(request);
    if (pageCausal?.key === key && pageCausal.task.trainer.step > 0) {
      return {
        model: pageCausal.task.model,
        start: { kind: 'page', steps: pageCausal.task.trainer.step },
      };
    }
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
    replacePageCausal({ key, task });
    return { model: task.model, start: { kind: 'page', steps: task.trainer.step } };
  }

  return {
    async create(request, onPreparation, signal) {
      const { objective, options } = request;
      const scratch: ModelStart = { kind: 'scratch' };
      if (objective === 'bert' || objective === 'glm') return pretrainingTask(request);
      if (objective === 'causal') {
        const task = createCausalTask(options);
        replacePageCausal({ key: baseKey(request), task });
        return { task, start: scratch };
      }
      const base =
        request.base === 'checkpoint'
          ? await shippedBase(request)
          : await pageBase(request, onPreparation, signal);
      const task =
        objective === 'lora'
          ? createLoraTask({ ...options, base: base.model })
          : createPrefixTask({ ...options, base: base.model });
      return { task, start: base.start };
    },
    release(task) {
      if (task !== pageCausal?.task) task.dispose();
    },
    dispose() {
      replacePageCausal(undefined);
      shipped?.model.dispose();
      shipped = undefined;
    },
  };
}

/** The steps a shipped checkpoint was trained for (its metadata). */
function checkpointSteps(bytes: Uint8Array): number {
  return Number(decodeCheckpoint(bytes).metadata.training['steps']);
}

interface BuiltBase {
  readonly model: CausalDecoder;
  readonly start: ModelStart;
}
