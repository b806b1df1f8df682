/**
 * The fused linear cross-entropy's chunk size per backend, in headless Chromium on this machine:
 * milliseconds of a forward + backward pass at each chunk size, on WebGPU (SwiftShader,
 * "emulated", without a GPU), WebGL and wasm (threaded when the page is cross-origin isolated).
 * Writes `bench/results/chunk-size-<machine>.json`. Not a test; run it on a quiet machine.
 *
 *   pnpm --filter @lm-objectives/backend-tests bench:chunk-size [-- --machine NAME]
 *     [--backends wasm,webgpu,webgl]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineName } from '../../../scripts/chromium/machine-name.mjs';
import { openTestPage } from '../e2e/test-page';
import type { ChunkSizeTimes, ChunkSizeTiming } from '../src/page/time-chunk-sizes';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: {
    machine: { type: 'string' },
    backends: { type: 'string', default: 'wasm,webgpu,webgl' },
  },
});
const BACKENDS = ['wasm', 'webgpu', 'webgl'] as const;
const backends = values.backends.split(',').map((name) => {
  const backend = BACKENDS.find((known) => known === name);
  if (!backend) throw new Error(`--backends: unknown backend '${name}' (${BACKENDS.join(', ')})`);
  return backend;
});
const cpu = cpus();
const machine = values.machine ?? machineName();
/** The demo's large size: 8 rows of 128 tokens, H = 256, its vocabulary of about 4k pieces. */
const TIMING: ChunkSizeTiming = {
  rows: 1024,
  hidden: 256,
  vocabulary: 4096,
  chunkSizes: [64, 128, 256, 512, 1024],
  repeats: 3,
};

const testPage = await openTestPage();
const loadBefore = loadavg();
const results: ChunkSizeTimes[] = [];
try {
  for (const backend of backends) {
    const times = await testPage.call('timeChunkSizes', backend, TIMING);
    results.push(times);
    const fastest = Object.entries(times.milliseconds).sort((a, b) => a[1] - b[1])[0]!;
    console.log(
      `${backend}: ${Object.entries(times.milliseconds)
        .map(([size, ms]) => `${size} rows ${ms.toFixed(0)} ms`)
        .join(', ')}; fastest ${fastest[0]}`,
    );
  }
} finally {
  await testPage.close();
}
await mkdir(join(here, 'results'), { recursive: true });
const output = join(here, 'results', `chunk-size-${machine}.json`);
await writeFile(
  output,
  `${JSON.stringify(
    {
      benchmark: 'linear-cross-entropy-chunk-size',
      description:
        'Milliseconds per forward + backward pass of linearCrossEntropy (tied [V, H] weight) by chunk size and backend, in headless Chromium; WebGPU and WebGL run on SwiftShader without a GPU.',
      date: new Date().toISOString(),
      machine: { name: machine, cpuModel: cpu[0]?.model ?? 'unknown', logicalCores: cpu.length },
      loadAverage: { before: loadBefore, after: loadavg() },
      timing: TIMING,
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${output}`);
