// Benchmarks of @lm-objectives/bert, side by side in one run: `pnpm bench` (writes bench/results/)
// or `pnpm bench:smoke` (seconds, small sizes, writes nothing).
import './setup-tfjs';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { benchmarkHeads } from './heads';
import { benchmarkMasker } from './masker';
import type { Measurement } from './measure';
import { benchmarkPairBuilder } from './pair-builder';

const smoke = process.argv.includes('--smoke');
const loadBefore = loadavg();

const masker = benchmarkMasker(smoke);
const pairs = benchmarkPairBuilder(smoke);
const heads = await benchmarkHeads(smoke);

const millions = (value: number) => (value / 1e6).toFixed(1);
const [bare, exactRound] = masker;
const [gatherFirst, allPositions] = heads.measurements;
const results = {
  date: new Date().toISOString(),
  smoke,
  machine: {
    cpus: cpus().length,
    parallelism: availableParallelism(),
    model: cpus()[0]?.model,
    node: process.version,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
  },
  masker: {
    batch: [16, 512],
    measurements: masker,
    exactRoundOverBareLoop: exactRound!.itemsPerSecond / bare!.itemsPerSecond,
    exactRoundOverBareLoopCpu: exactRound!.itemsPerCpuSecond / bare!.itemsPerCpuSecond,
  },
  pairBuilder: { measurements: pairs },
  heads: {
    backend: 'wasm',
    setting: heads.setting,
    measurements: heads.measurements,
    gatherFirstSpeedup: allPositions!.medianMs / gatherFirst!.medianMs,
    gatherFirstSpeedupCpu: allPositions!.medianCpuMs / gatherFirst!.medianCpuMs,
  },
};

const table = (rows: Measurement[], unit: string, scale: (value: number) => string) =>
  [
    `| contender | median wall ms (min–max) | ${unit}, wall | median CPU ms | ${unit}, CPU time |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.medianMs.toFixed(1)} (${row.minMs.toFixed(1)}–${row.maxMs.toFixed(1)}) | ${scale(row.itemsPerSecond)} | ${row.medianCpuMs.toFixed(1)} | ${scale(row.itemsPerCpuSecond)} |`,
    ),
  ].join('\n');

const markdown = `# @lm-objectives/bert benchmarks

Run ${results.date} — Node ${process.version}, ${results.machine.cpus} cores (${results.machine.model}),
load average ${loadBefore.map((value) => value.toFixed(1)).join(' / ')} before and
${results.machine.loadAverageAfter.map((value) => value.toFixed(1)).join(' / ')} after (other jobs share the machine).
Contenders of a section run in turn, round after round; medians of every round after a warm-up.
Throughput is given per second of wall-clock time and per second of CPU time (user + system) of this
process; with other jobs on the machine the CPU-time figures are the steadier ones.

## Masker, \`[16, 512]\` batches (${masker[0]!.runs} rounds of 20 batches)

${table(masker, 'M tokens/s', millions)}

exact-round / bare loop: **${results.masker.exactRoundOverBareLoop.toFixed(2)}** (wall), **${results.masker.exactRoundOverBareLoopCpu.toFixed(2)}** (CPU time).

## Next-sentence pair builder (${pairs[0]!.runs} rounds)

${table(pairs, 'M input tokens/s', millions)}

## BERT heads on wasm, forward + backward (B = ${heads.setting['batch']}, L = ${heads.setting['sequence']}, H = ${heads.setting['hidden']}, V = ${heads.setting['vocabulary']}, ${heads.setting['maskedPositions']} masked positions)

${table(heads.measurements, 'examples/s', (value) => value.toFixed(2))}

gather-first speed-up over all positions: **${results.heads.gatherFirstSpeedup.toFixed(2)}×** (wall), **${results.heads.gatherFirstSpeedupCpu.toFixed(2)}×** (CPU time).
`;

console.log(markdown);
if (!smoke) {
  const directory = new URL('./results/', import.meta.url);
  writeFileSync(new URL('results.json', directory), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(new URL('results.md', directory), markdown);
}
