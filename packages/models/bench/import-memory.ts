// Peak memory of importing a GPT-2-small-sized checkpoint (124,439,808 float32 parameters, 498 MB)
// three ways, each in a fresh process so the measurements do not mix:
//   stream — importHuggingFaceModel from a Blob (fs.openAsBlob): one tensor read at a time;
//   bytes  — the whole file read into memory first, then imported from the bytes;
//   decode — the whole file read and every tensor decoded at once (readSafetensors), then imported:
//            the naive path, which holds the file, a decoded copy and the variables together.
// Memory is sampled after every tensor (resident set size, JS array buffers, the wasm heap).
// Usage: node --import tsx bench/import-memory.ts [--smoke]   (writes bench/results/import-memory.*)
import { execFileSync } from 'node:child_process';
import { mkdirSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@lm-objectives/safetensors';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createCausalDecoder, exportHuggingFaceModel, importHuggingFaceModel } from '../src/index';

const smoke = process.argv.includes('--smoke');
const FOLDER = join(tmpdir(), `lm-objectives-import-memory${smoke ? '-smoke' : ''}`);
const SIZES = smoke
  ? { vocabularySize: 5000, hiddenSize: 64, numLayers: 2, numHeads: 4, maxPositions: 128 }
  : { vocabularySize: 50257, hiddenSize: 768, numLayers: 12, numHeads: 12, maxPositions: 1024 };
const MB = 1024 * 1024; // MiB

async function writeCheckpoint() {
  const model = createCausalDecoder(SIZES);
  const files = exportHuggingFaceModel(model);
  model.dispose();
  mkdirSync(FOLDER, { recursive: true });
  writeFileSync(join(FOLDER, 'config.json'), files.configJson);
  writeFileSync(join(FOLDER, 'model.safetensors'), files.weights);
}

function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  return backend.wasm?.HEAPU8.buffer.byteLength ?? 0;
}

async function measure(mode: string, backend: string) {
  register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
  tf.env().set('PROD', true);
  await tf.setBackend(backend);
  await tf.ready();
  globalThis.gc?.();
  const sample = () => {
    const usage = process.memoryUsage();
    return { rss: usage.rss, arrayBuffers: usage.arrayBuffers, wasmHeap: wasmHeapBytes() };
  };
  const baseline = sample();
  const peak = { ...baseline };
  const record = () => {
    const now = sample();
    for (const key of Object.keys(peak) as (keyof typeof peak)[])
      peak[key] = Math.max(peak[key], now[key]);
  };
  const config = readFileSync(join(FOLDER, 'config.json'), 'utf8');
  const path = join(FOLDER, 'model.safetensors');
  let weights: Uint8Array | Blob;
  if (mode === 'stream') weights = await openAsBlob(path);
  else {
    weights = new Uint8Array(readFileSync(path));
    if (mode === 'decode') {
      const decoded = readSafetensors(weights);
      record();
      // Keep the decoded copy alive through the import, as a load-everything-then-assign path does.
      (globalThis as Record<string, unknown>)['decoded'] = decoded;
    }
  }
  record();
  const start = performance.now();
  const { model } = await importHuggingFaceModel({ config, weights }, { onTensor: record });
  const seconds = (performance.now() - start) / 1000;
  record();
  const parameters = model.parameterCounts().total;
  console.log(JSON.stringify({ mode, backend, parameters, seconds, baseline, peak }));
}

const [, , command, mode, backend] = process.argv;
if (command === 'measure') await measure(mode!, backend!);
else {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  await writeCheckpoint();
  const runs = [];
  for (const [runMode, runBackend] of [
    ['stream', 'cpu'],
    ['bytes', 'cpu'],
    ['decode', 'cpu'],
    ['stream', 'wasm'],
  ]) {
    const output = execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        new URL(import.meta.url).pathname,
        'measure',
        runMode!,
        runBackend!,
        ...(smoke ? ['--smoke'] : []),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    runs.push(JSON.parse(output.trim().split('\n').pop()!));
  }
  rmSync(FOLDER, { recursive: true, force: true });
  const variableBytes = 4 * runs[0].parameters;
  const rows = runs.map((run) => ({
    mode: run.mode,
    backend: run.backend,
    parameters: run.parameters,
    seconds: Number(run.seconds.toFixed(1)),
    peakRssAboveBaselineMiB: Math.round((run.peak.rss - run.baseline.rss) / MB),
    peakArrayBuffersMiB: Math.round(run.peak.arrayBuffers / MB),
    peakWasmHeapMiB: Math.round(run.peak.wasmHeap / MB),
    peakRssOverVariables: Number(((run.peak.rss - run.baseline.rss) / variableBytes).toFixed(2)),
  }));
  const header = `Importing a ${runs[0].parameters.toLocaleString('en-US')}-parameter checkpoint (${Math.round(variableBytes / MB)} MiB of float32 variables); peak memory above the process's baseline.`;
  const table = [
    '| path | backend | seconds | peak RSS above baseline (MiB) | peak JS array buffers (MiB) | peak wasm heap (MiB) | peak RSS / variables |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.mode} | ${row.backend} | ${row.seconds} | ${row.peakRssAboveBaselineMiB} | ${row.peakArrayBuffersMiB} | ${row.peakWasmHeapMiB} | ${row.peakRssOverVariables} |`,
    ),
  ].join('\n');
  console.log(`${header}\n\n${table}`);
  if (!smoke) {
    const results = new URL('./results/', import.meta.url);
    mkdirSync(results, { recursive: true });
    writeFileSync(
      new URL('import-memory.json', results),
      `${JSON.stringify({ variableBytes, rows }, null, 2)}\n`,
    );
    writeFileSync(new URL('import-memory.md', results), `${header}\n\n${table}\n`);
  }
}
