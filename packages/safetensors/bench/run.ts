// Benchmarks of @lm-objectives/safetensors, measured side by side in one run: reading and writing a
// float32 file with one bulk copy per tensor (little-endian hosts) versus element-by-element
// DataView access (the big-endian fallback), and the float16 upcast. Each figure is the median of
// several interleaved runs after a warm-up, in CPU time; comparisons are reported as ratios. `--smoke` runs a
// seconds-long version for CI and writes nothing.
//
//   node --import tsx bench/run.ts [--smoke]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeElementwise, readSafetensors } from '../src/read-safetensors';
import { writeElementwise, writeSafetensors } from '../src/write-safetensors';

const smoke = process.argv.includes('--smoke');
const here = dirname(fileURLToPath(import.meta.url));
const elements = smoke ? 1 << 16 : 1 << 20; // 4 MiB of float32 in the full run
const runs = smoke ? 3 : 21;

/** Times actions interleaved (A, B, A, B, …) so machine load falls on each alike; returns median CPU milliseconds. */
function timeSideBySide(actions: readonly (() => unknown)[]): number[] {
  for (const action of actions) action();
  const samples = actions.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) {
    actions.forEach((action, index) => {
      // CPU time of this process, not wall time: on the shared machine other jobs take turns on
      // the cores, which wall time would count against whichever variant happened to be running.
      const start = process.cpuUsage();
      action();
      const used = process.cpuUsage(start);
      samples[index]!.push((used.user + used.system) / 1000);
    });
  }
  return samples.map(
    (times) => times.sort((left, right) => left - right)[Math.floor(times.length / 2)]!,
  );
}

const values = Float32Array.from({ length: elements }, (_, index) => Math.sin(index));
const tensor = { name: 'weight', dtype: 'F32' as const, shape: [elements], data: values };
const file = writeSafetensors({ weight: tensor });
const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
const entry = {
  name: 'weight',
  dtype: 'F32' as const,
  shape: [elements],
  begin: 0,
  end: elements * 4,
};
const halfFile = writeSafetensors({
  weight: {
    dtype: 'F16',
    shape: [elements],
    data: Uint16Array.from({ length: elements }, (_, index) => index & 0x7bff),
  },
});

const [bulkRead, elementRead, halfRead] = timeSideBySide([
  () => readSafetensors(file),
  () => decodeElementwise(entry, new DataView(file.buffer), 8 + headerLength),
  () => readSafetensors(halfFile),
]);
const [bulkWrite, elementWrite] = timeSideBySide([
  () => writeSafetensors({ weight: tensor }),
  () => writeElementwise(new DataView(new ArrayBuffer(file.length)), 8 + headerLength, tensor),
]);
const megabytes = (elements * 4) / 2 ** 20;
const results = {
  machine: {
    cpus: cpus().length,
    node: process.version,
    note: '2-core machine; compare ratios, not absolute times',
  },
  sizes: { elements, megabytes },
  read: {
    bulkMs: bulkRead,
    elementwiseMs: elementRead,
    speedup: elementRead! / bulkRead!,
    bulkMegabytesPerSecond: megabytes / (bulkRead! / 1000),
  },
  write: { bulkMs: bulkWrite, elementwiseMs: elementWrite, speedup: elementWrite! / bulkWrite! },
  float16Upcast: { ms: halfRead, overFloat32Read: halfRead! / bulkRead! },
};
console.log(JSON.stringify(results, null, 2));
if (!smoke) {
  writeFileSync(join(here, 'results', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join(here, 'results', 'results.md'),
    `# @lm-objectives/safetensors benchmarks

${results.sizes.megabytes} MiB float32 tensor (${elements} values), Node ${process.version}, ${results.machine.cpus} CPUs (${results.machine.note}); medians of ${runs} interleaved runs, in CPU time of the process.

| comparison | ratio |
| --- | --- |
| read, bulk copy vs element-by-element DataView | ${results.read.speedup.toFixed(1)}× faster (${bulkRead!.toFixed(1)} ms vs ${elementRead!.toFixed(1)} ms; ${results.read.bulkMegabytesPerSecond.toFixed(0)} MiB/s) |
| write, bulk copy vs element-by-element DataView | ${results.write.speedup.toFixed(1)}× faster (${bulkWrite!.toFixed(1)} ms vs ${elementWrite!.toFixed(1)} ms) |
| read float16 (upcast) vs float32 | ${results.float16Upcast.overFloat32Read.toFixed(1)}× the time (${halfRead!.toFixed(1)} ms, half the bytes) |
`,
  );
}
