// The benchmark's results as a Markdown table a user can copy, and the threaded/single-thread
// ratios the table implies.
import type { BenchResult } from './bench-protocol';

/** The machine the numbers come from, as far as a page can tell. */
export interface BenchEnvironment {
  readonly userAgent: string;
  readonly hardwareConcurrency: number;
  readonly crossOriginIsolated: boolean;
}

/** The backend column: wasm with its threads, WebGPU/WebGL marked "emulated" on a software adapter. */
export function backendColumn(result: BenchResult): string {
  if (result.request.backend === 'wasm') {
    const threads = result.threads ?? 1;
    return `wasm, ${threads} thread${threads === 1 ? '' : 's'}`;
  }
  const name =
    result.request.backend === 'webgpu'
      ? 'WebGPU'
      : result.request.backend === 'webgl'
        ? 'WebGL'
        : 'cpu';
  return result.emulated ? `${name} (emulated)` : name;
}

/**
 * Tokens per second of the threaded wasm run over the single-thread one, per task and size
 * (only where both were measured).
 */
export function threadRatios(
  results: readonly BenchResult[],
): { task: string; size: string; threads: number; ratio: number }[] {
  const ratios: { task: string; size: string; threads: number; ratio: number }[] = [];
  for (const single of results) {
    if (single.request.backend !== 'wasm' || (single.threads ?? 1) !== 1) continue;
    const threaded = results.find(
      (other) =>
        other.request.backend === 'wasm' &&
        (other.threads ?? 1) > 1 &&
        other.request.task === single.request.task &&
        other.request.size.name === single.request.size.name,
    );
    if (threaded && single.tokensPerSecond > 0) {
      ratios.push({
        task: single.request.task,
        size: single.request.size.name,
        threads: threaded.threads!,
        ratio: threaded.tokensPerSecond / single.tokensPerSecond,
      });
    }
  }
  return ratios;
}

function sizeColumn(result: BenchResult): string {
  const { size } = result.request;
  const details = [
    size.hiddenSize === undefined ? undefined : `H ${size.hiddenSize}`,
    size.sequenceLength === undefined ? undefined : `L ${size.sequenceLength}`,
    size.batchSize === undefined ? undefined : `B ${size.batchSize}`,
  ].filter(Boolean);
  return details.length > 0 ? `${size.name} (${details.join(', ')})` : size.name;
}

/** The results as a Markdown table, with the environment and the thread ratios under it. */
export function formatBenchTable(
  results: readonly BenchResult[],
  environment: BenchEnvironment,
): string {
  const header = [
    '| task | size | backend | adapter | threads | tokens/step | ms/step | tokens/s |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  const rows = results.map(
    (result) =>
      `| ${result.request.task} | ${sizeColumn(result)} | ${backendColumn(result)} | ${result.adapter} | ${result.threads ?? '—'} | ${result.tokensPerStep} | ${result.stepMilliseconds.toFixed(0)} | ${result.tokensPerSecond.toFixed(0)} |`,
  );
  const ratios = threadRatios(results).map(
    (entry) =>
      `- ${entry.task}, ${entry.size}: ${entry.threads} threads / 1 thread = ${entry.ratio.toFixed(2)}×`,
  );
  return [
    ...header,
    ...rows,
    '',
    `${environment.hardwareConcurrency} logical cores; cross-origin isolated: ${environment.crossOriginIsolated ? 'yes' : 'no'}; ${environment.userAgent}`,
    ...(ratios.length > 0 ? ['', 'wasm threads:', ...ratios] : []),
  ].join('\n');
}
