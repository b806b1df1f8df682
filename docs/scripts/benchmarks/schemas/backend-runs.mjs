// Runs of the demo's tasks on several TensorFlow.js backends in a browser (wasm on one thread and
// on several, WebGPU, WebGL), as the demo's benchmark page records them: a list of results, each
// `{ request: { task, backend, size: { name } }, backend, threads?, emulated, adapter,
// tokensPerSecond, stepMilliseconds }`, either at the top level or under `results`, with the
// machine as `machine` (`cpuModel`, `logicalCores`, `browser`: the demo's `bench:backends` runner)
// or `environment` (`userAgent`, `hardwareConcurrency`: the demo's benchmark page).
import { barChart } from '../bar-chart.mjs';
import { perSecond, ratio } from './format.mjs';

const runsOf = (data) => (Array.isArray(data) ? data : data?.results);

const isRun = (entry) =>
  typeof entry?.request?.backend === 'string' &&
  typeof entry?.request?.task === 'string' &&
  typeof entry?.tokensPerSecond === 'number';

/** The backend as a reader names it: `wasm, 4 threads`, `WebGPU (emulated)`. */
export function backendLabel(run) {
  const { backend } = run.request;
  if (backend === 'wasm') {
    const threads = run.threads ?? run.request.threads ?? 1;
    return `wasm, ${threads} thread${threads === 1 ? '' : 's'}`;
  }
  const name = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'cpu' }[backend] ?? backend;
  return run.emulated ? `${name} (emulated)` : name;
}

const BACKEND_COLORS = { wasm: '#2f6fde', webgpu: '#14925f', webgl: '#8a4fd3', cpu: '#6e7781' };

function groups(runs) {
  const byGroup = new Map();
  for (const run of runs) {
    const label = `${run.request.task} · ${run.request.size?.name ?? 'default size'}`;
    if (!byGroup.has(label)) byGroup.set(label, []);
    byGroup.get(label).push(run);
  }
  return [...byGroup].map(([label, entries]) => ({ label, entries }));
}

const singleThreadWasm = (entries) =>
  entries.find(
    (run) => run.request.backend === 'wasm' && (run.threads ?? run.request.threads ?? 1) === 1,
  );

export const backendRunsSchema = {
  id: 'backend-runs',
  title: 'Backends: wasm threads, WebGPU, WebGL',
  section: 'backends',
  matches: (data) => {
    const runs = runsOf(data);
    return Array.isArray(runs) && runs.length > 0 && runs.every(isRun);
  },
  machine(data) {
    // The repository's runner records `machine`; a page's own export records `environment`.
    const recorded = Array.isArray(data) ? {} : (data.machine ?? data.environment ?? {});
    const cores = recorded.logicalCores ?? recorded.hardwareConcurrency;
    const parts = [
      [cores ? `${cores} logical cores` : undefined, recorded.cpuModel].filter(Boolean).join(' × '),
      recorded.browser ?? recorded.userAgent,
      ...new Set(
        runsOf(data)
          .map((run) => run.adapter)
          .filter(Boolean),
      ),
    ];
    return parts.filter(Boolean).join('; ') || 'a browser';
  },
  headlines(data) {
    const rows = [];
    for (const { label, entries } of groups(runsOf(data))) {
      const base = singleThreadWasm(entries);
      if (!base) continue;
      for (const run of entries) {
        if (run === base) continue;
        rows.push({
          comparison: `${backendLabel(run)} vs wasm on one thread`,
          result: `${ratio(run.tokensPerSecond / base.tokensPerSecond)} the tokens per second (${perSecond(run.tokensPerSecond, 'tokens')})`,
          setting: label,
        });
      }
    }
    return rows;
  },
  charts(data) {
    return [
      {
        file: 'perf-backends.svg',
        caption:
          'Training tokens per second of the demo tasks on each backend the browser could start.',
        alt: 'Bar chart: tokens per second of each demo task on each measured backend.',
        svg: barChart({
          title: 'Tokens per second by backend',
          description:
            'Training throughput of the demo tasks per backend, from the committed browser runs.',
          formatValue: (value) => perSecond(value, 'tokens'),
          groups: groups(runsOf(data)).map(({ label, entries }) => ({
            label,
            bars: entries.map((run) => ({
              label: backendLabel(run),
              value: run.tokensPerSecond,
              color: BACKEND_COLORS[run.request.backend] ?? '#6e7781',
            })),
          })),
        }),
      },
    ];
  },
};
