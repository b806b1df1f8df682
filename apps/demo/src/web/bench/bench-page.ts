// The benchmark page: measures tokens per second of the demo's tasks on each backend this browser
// can start, one fresh worker per row, and shows a table to copy. `window.demoBench` lets a test
// or the repository's benchmark script drive the same runs.
import { required } from '../dom';
import {
  BENCH_SIZES,
  BENCH_TASKS,
  type BenchConfiguration,
  benchConfigurations,
  benchPlan,
} from './bench-plan';
import type { BenchRequest, BenchResult, BenchWorkerReply } from './bench-protocol';
import { type BenchEnvironment, formatBenchTable } from './bench-table';

/** What the page offers a script. */
export interface DemoBenchApi {
  environment(): BenchEnvironment;
  /** The backend configurations this page can start. */
  configurations(): BenchConfiguration[];
  /** One run in a fresh worker, given up (and the worker stopped) after `timeoutSeconds`. */
  run(request: BenchRequest, timeoutSeconds?: number): Promise<BenchResult>;
  /**
   * Runs one after another in one worker (each given up after `timeoutSeconds`): for checks, where
   * sharing compiled GPU pipelines between runs saves minutes on a software adapter.
   */
  runSeries(requests: readonly BenchRequest[], timeoutSeconds?: number): Promise<BenchResult[]>;
}

declare global {
  interface Window {
    demoBench?: DemoBenchApi;
  }
}

function environment(): BenchEnvironment {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated,
  };
}

/** Sends `request` to `worker` and waits for its reply, at most `timeoutSeconds`. */
function runIn(
  worker: Worker,
  request: BenchRequest,
  timeoutSeconds: number,
): Promise<BenchResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise<BenchResult>((resolve, reject) => {
    if (Number.isFinite(timeoutSeconds)) {
      timer = setTimeout(
        () => reject(new Error(`no result after ${timeoutSeconds} s: stopped`)),
        timeoutSeconds * 1000,
      );
    }
    worker.onmessage = (event: MessageEvent<BenchWorkerReply>) => {
      const reply = event.data;
      if (reply.type === 'result') resolve(reply.result);
      else reject(new Error(reply.message));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the benchmark worker failed'));
    worker.postMessage({ type: 'run', request });
  }).finally(() => clearTimeout(timer));
}

/**
 * Runs `requests` one after another in one worker, which is then terminated: what they share
 * (a WebGPU device and its compiled pipelines, a wasm module) is set up once.
 */
async function runSeries(
  requests: readonly BenchRequest[],
  timeoutSeconds = Number.POSITIVE_INFINITY,
): Promise<BenchResult[]> {
  const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), {
    type: 'module',
    name: 'bench',
  });
  try {
    const results: BenchResult[] = [];
    for (const request of requests) results.push(await runIn(worker, request, timeoutSeconds));
    return results;
  } finally {
    worker.terminate();
  }
}

const api: DemoBenchApi = {
  environment,
  configurations: () => benchConfigurations(navigator.hardwareConcurrency, crossOriginIsolated),
  run: async (request, timeoutSeconds) => (await runSeries([request], timeoutSeconds))[0]!,
  runSeries,
};
window.demoBench = api;

const runButton = required<HTMLButtonElement>('run');
const copyButton = required<HTMLButtonElement>('copy');
const status = required('status');
const output = required<HTMLTextAreaElement>('table');

function checked(name: string): string[] {
  return Array.from(
    document.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`),
  ).map((input) => input.value);
}

async function runAll(): Promise<void> {
  runButton.disabled = true;
  const sizes = checked('size').map((name) => BENCH_SIZES[name as keyof typeof BENCH_SIZES]);
  const tasks = BENCH_TASKS.filter((task) => checked('task').includes(task));
  const requests = benchPlan({
    tasks,
    sizes,
    configurations: api.configurations(),
    warmupSteps: 2,
    measuredSteps: Number(required<HTMLInputElement>('steps').value) || 5,
    maxSeconds: 30,
  });
  const results: BenchResult[] = [];
  try {
    for (const [index, request] of requests.entries()) {
      status.textContent = `Running ${index + 1} of ${requests.length}: ${request.task}, ${request.size.name}, ${request.backend}${request.threads ? ` (${request.threads} threads)` : ''}…`;
      try {
        results.push(await api.run(request, 600));
      } catch (error) {
        status.textContent = `${request.backend} failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      output.value = formatBenchTable(results, environment());
    }
    status.textContent = `Done: ${results.length} of ${requests.length} runs measured.`;
  } finally {
    runButton.disabled = false;
  }
}

runButton.addEventListener('click', () => void runAll());
copyButton.addEventListener('click', () => {
  void navigator.clipboard.writeText(output.value).then(
    () => (status.textContent = 'Copied the table.'),
    () => {
      output.select();
      status.textContent = 'Select the table and copy it (the clipboard is not available here).';
    },
  );
});
status.textContent = `${navigator.hardwareConcurrency} logical cores; cross-origin isolated: ${crossOriginIsolated ? 'yes (wasm can use threads)' : 'no (wasm runs on one thread)'}. Press Run.`;
