// What the benchmark measures: the demo's BERT and causal tasks at the demo's size and at a larger
// size where matrix products dominate, on every backend configuration the page can start.
import type { DemoTaskId } from '../../tasks/demo-task';
import { MAX_WASM_THREADS } from '../wasm-threads';
import type { BenchRequest, BenchSize } from './bench-protocol';

/** The demo's own sizes (each task's defaults) and a larger one. */
export const BENCH_SIZES: Readonly<Record<'demo' | 'large', BenchSize>> = {
  demo: { name: 'demo' },
  large: {
    name: 'large',
    hiddenSize: 256,
    numLayers: 2,
    numHeads: 4,
    sequenceLength: 128,
    batchSize: 8,
  },
};

/** The tasks measured by default. */
export const BENCH_TASKS: readonly DemoTaskId[] = ['bert', 'causal'];

/** A backend as the benchmark starts it. */
export interface BenchConfiguration {
  readonly backend: BenchRequest['backend'];
  readonly threads?: number;
}

/**
 * wasm on one thread, wasm on every logical core (when the page is cross-origin isolated and has
 * more than one), WebGPU and WebGL. (cpu is left out: it is 10–100× slower than wasm.)
 */
export function benchConfigurations(
  hardwareConcurrency: number,
  crossOriginIsolated: boolean,
): BenchConfiguration[] {
  const threads = Math.min(Math.max(1, hardwareConcurrency), MAX_WASM_THREADS);
  return [
    { backend: 'wasm', threads: 1 },
    ...(crossOriginIsolated && threads > 1 ? [{ backend: 'wasm' as const, threads }] : []),
    { backend: 'webgpu' },
    { backend: 'webgl' },
  ];
}

/** Every task × size × configuration, with the same warm-up, step count and time cap. */
export function benchPlan(options: {
  readonly tasks: readonly DemoTaskId[];
  readonly sizes: readonly BenchSize[];
  readonly configurations: readonly BenchConfiguration[];
  readonly warmupSteps: number;
  readonly measuredSteps: number;
  readonly maxSeconds: number;
}): BenchRequest[] {
  const requests: BenchRequest[] = [];
  for (const size of options.sizes) {
    for (const task of options.tasks) {
      for (const configuration of options.configurations) {
        requests.push({
          task,
          size,
          ...configuration,
          warmupSteps: options.warmupSteps,
          measuredSteps: options.measuredSteps,
          maxSeconds: options.maxSeconds,
          seed: 1,
        });
      }
    }
  }
  return requests;
}
