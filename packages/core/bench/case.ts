// One benchmark case in its own process (the wasm heap grows up to 4 GiB and never shrinks, so
// every case starts from an empty heap). Spawned by `run.ts`; prints one `RESULT {json}` line.
import * as tf from '@tensorflow/tfjs-core';
import { initialiseWasm, installPeakTracker, wasmHeapBytes } from './support/environment';
import {
  disposeLossInputs,
  disposeMlpInputs,
  type LinearVariant,
  type LossVariant,
  lossStep,
  makeLossInputs,
  makeMlpInputs,
  mlpStep,
} from './variants';

/** What the parent asks for. */
export type CaseSpec =
  | {
      kind: 'loss';
      variant: LossVariant;
      positions: number;
      hiddenSize: number;
      vocabularySize: number;
      chunkSize?: number;
      /** Time the loss alone, with no gradient tape recording (no backward pass). */
      forwardOnly?: boolean;
      /** Timed runs. */
      repeats: number;
      /** `'full'`: one untimed run at the case's size; `'small'`: one at 64 positions. */
      warmup: 'full' | 'small' | 'none';
    }
  | {
      kind: 'linear';
      variant: LinearVariant;
      rows: number;
      width: number;
      hiddenWidth: number;
      repeats: number;
      warmup: 'full' | 'none';
    };

/** What the child reports. */
export type CaseResult =
  | {
      status: 'ok';
      /** Wall-clock time of each timed run. */
      timesMs: number[];
      medianMs: number;
      /**
       * CPU time (user + system) of this process during each timed run. The wasm backend runs on one
       * thread, so on an idle machine it equals the wall time; on a shared machine it leaves out the
       * time the process waited for a core, which makes side-by-side ratios far steadier.
       */
      cpuTimesMs: number[];
      medianCpuMs: number;
      /** Peak of `tf.memory().numBytes` during a timed run, above what was held before it. */
      peakTensorBytes: number;
      /** wasm heap size at the end (its high-water mark: it never shrinks). */
      wasmHeapBytes: number;
      loss: number;
    }
  | { status: 'out of memory' | 'failed'; message: string; wasmHeapBytes: number };

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The wasm heap's ceiling (4 GiB minus one 64 KiB page), less a margin. */
const FULL_HEAP_BYTES = 4 * 2 ** 30 - 2 ** 20;

/** Whether an error is the wasm heap (or a JS buffer) running out of memory. */
export function isOutOfMemory(message: string): boolean {
  return /out of memory|OOM|Cannot enlarge memory|Aborted\(|allocation failed|Invalid (typed )?array length|memory access out of bounds|Array buffer allocation/i.test(
    message,
  );
}

/** Runs one case in this process (the smoke mode runs every case in one process this way). */
export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  await initialiseWasm();
  const tracker = installPeakTracker();
  const timesMs: number[] = [];
  const cpuTimesMs: number[] = [];
  let peakTensorBytes = 0;
  let loss = Number.NaN;
  const timed = (step: () => number): void => {
    tracker.reset();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    loss = step();
    timesMs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuTimesMs.push((cpu.user + cpu.system) / 1000);
    peakTensorBytes = Math.max(peakTensorBytes, tracker.peakAboveStart());
  };
  if (spec.kind === 'loss') {
    const { variant, positions, hiddenSize, vocabularySize, chunkSize } = spec;
    const forwardOnly = spec.forwardOnly ?? false;
    if (spec.warmup !== 'none') {
      const warmupInputs = makeLossInputs(
        variant,
        spec.warmup === 'full' ? positions : 64,
        hiddenSize,
        vocabularySize,
      );
      lossStep(variant, warmupInputs, chunkSize, forwardOnly);
      disposeLossInputs(warmupInputs);
    }
    const inputs = makeLossInputs(variant, positions, hiddenSize, vocabularySize);
    for (let run = 0; run < spec.repeats; run++) {
      timed(() => lossStep(variant, inputs, chunkSize, forwardOnly));
    }
    disposeLossInputs(inputs);
  } else {
    const inputs = makeMlpInputs(spec.rows, spec.width, spec.hiddenWidth);
    const optimizer = tf.train.sgd(1e-3);
    if (spec.warmup === 'full') mlpStep(spec.variant, inputs, optimizer);
    for (let run = 0; run < spec.repeats; run++)
      timed(() => mlpStep(spec.variant, inputs, optimizer));
    optimizer.dispose();
    disposeMlpInputs(inputs);
  }
  return {
    status: 'ok',
    timesMs,
    medianMs: median(timesMs),
    cpuTimesMs,
    medianCpuMs: median(cpuTimesMs),
    peakTensorBytes,
    wasmHeapBytes: wasmHeapBytes(),
    loss,
  };
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as CaseSpec;
  let result: CaseResult;
  try {
    result = await runCase(spec);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    let heap = 0;
    try {
      heap = wasmHeapBytes();
    } catch {
      // The backend may be unusable after an abort.
    }
    // An abort with the heap at its 4 GiB ceiling is the heap running out, whatever the message says.
    const outOfMemory = isOutOfMemory(message) || heap >= FULL_HEAP_BYTES;
    result = {
      status: outOfMemory ? 'out of memory' : 'failed',
      message: message.slice(0, 500),
      wasmHeapBytes: heap,
    };
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

if (process.argv[1]?.endsWith('case.ts')) await main();
