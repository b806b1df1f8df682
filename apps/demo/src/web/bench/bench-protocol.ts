// What the benchmark page asks its worker, and what the worker answers: plain, structured-cloneable data.
import type { DemoTaskId } from '../../tasks/demo-task';
import type { BackendName } from '../protocol';

/** Model and batch sizes of a benchmark run (the task's defaults where absent). */
export interface BenchSize {
  /** `'demo'` (the task's own defaults) or `'large'` (where matrix products dominate). */
  readonly name: string;
  readonly hiddenSize?: number;
  readonly numLayers?: number;
  readonly numHeads?: number;
  readonly sequenceLength?: number;
  readonly batchSize?: number;
}

/** One benchmark run: a task on a backend at a size. */
export interface BenchRequest {
  readonly task: DemoTaskId;
  readonly backend: BackendName;
  /** wasm only: the threads to start the backend with. */
  readonly threads?: number;
  readonly size: BenchSize;
  /** Steps run before timing (shader compilation, first allocations). */
  readonly warmupSteps: number;
  /** Steps timed. */
  readonly measuredSteps: number;
  /** Stop timing after this many seconds, if at least 2 steps were timed (slow backends). */
  readonly maxSeconds: number;
  /** The tasks' seed (weights, data). */
  readonly seed: number;
}

/** What a run measured. */
export interface BenchResult {
  readonly request: BenchRequest;
  /** `tf.getBackend()` during the run. */
  readonly backend: string;
  /** What runs it: the GPU adapter or WebGL renderer, or the wasm binary. */
  readonly adapter: string;
  /** WebGPU or WebGL on a software adapter (SwiftShader): emulated on the CPU. */
  readonly emulated: boolean;
  /** wasm: the threads in use (`tf.wasm.getThreadsCount()`). */
  readonly threads?: number;
  /** Tokens per training step (rows × length of the batch). */
  readonly tokensPerStep: number;
  /** Steps actually timed. */
  readonly timedSteps: number;
  /** Mean wall time of a timed step. */
  readonly stepMilliseconds: number;
  readonly tokensPerSecond: number;
  /** The loss of every step run, warm-up included, in order. */
  readonly losses: readonly number[];
  /** `tf.memory().numTensors` before the task was built and after it was freed. */
  readonly tensors: { readonly before: number; readonly after: number };
}

/** Page → bench worker. */
export type BenchWorkerRequest = { readonly type: 'run'; readonly request: BenchRequest };

/** Bench worker → page. */
export type BenchWorkerReply =
  | { readonly type: 'result'; readonly result: BenchResult }
  | { readonly type: 'error'; readonly message: string };
