// The fused loss's chunk size per backend, in a browser (`apps/backend-tests`' `bench:chunk-size`):
// `{ benchmark: 'linear-cross-entropy-chunk-size', machine, timing: { rows, hidden, vocabulary,
// chunkSizes }, results: [{ backend, milliseconds: { <chunk size>: ms } }] }`.
import { lineChart } from '../line-chart.mjs';
import { duration, ratio } from './format.mjs';

const BACKEND_COLORS = { wasm: '#2f6fde', webgpu: '#14925f', webgl: '#8a4fd3', cpu: '#6e7781' };
const BACKEND_NAMES = { wasm: 'wasm', webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'cpu' };
/** `linearCrossEntropy`'s default chunk size, the row each backend is compared with. */
const DEFAULT_CHUNK = '128';

const sizesOf = (result) =>
  Object.keys(result.milliseconds)
    .map(Number)
    .sort((a, b) => a - b);

export const chunkSizeSchema = {
  id: 'chunk-size',
  title: 'Fused loss: chunk size per backend',
  section: 'backends',
  matches: (data) =>
    data.benchmark === 'linear-cross-entropy-chunk-size' &&
    Array.isArray(data.results) &&
    data.results.every((result) => typeof result.milliseconds === 'object'),
  machine: (data) =>
    [
      data.machine?.logicalCores && `${data.machine.logicalCores} logical cores`,
      data.machine?.cpuModel,
    ]
      .filter(Boolean)
      .join(' × ') || 'a browser',
  headlines(data) {
    const { rows, hidden, vocabulary } = data.timing ?? {};
    return data.results
      .filter((result) => result.milliseconds[DEFAULT_CHUNK] !== undefined)
      .map((result) => {
        const [fastest, milliseconds] = Object.entries(result.milliseconds).sort(
          (a, b) => a[1] - b[1],
        )[0];
        return {
          comparison: `${BACKEND_NAMES[result.backend] ?? result.backend}: fastest chunk size vs the default ${DEFAULT_CHUNK}`,
          result: `${fastest} rows, ${ratio(result.milliseconds[DEFAULT_CHUNK] / milliseconds)} faster (${duration(milliseconds)} vs ${duration(result.milliseconds[DEFAULT_CHUNK])})`,
          setting: `N = ${rows}, H = ${hidden}, V = ${vocabulary}, forward + backward`,
        };
      });
  },
  charts(data) {
    const xValues = [...new Set(data.results.flatMap(sizesOf))].sort((a, b) => a - b);
    return [
      {
        file: 'perf-chunk-size-by-backend.svg',
        caption:
          'Time of one forward and backward pass of `linearCrossEntropy` against its chunk size, per backend.',
        alt: 'Line chart, log scales: milliseconds per pass against the chunk size, one line per backend.',
        svg: lineChart({
          title: 'Fused loss: time vs chunk size',
          description:
            'Milliseconds per forward and backward pass of the fused loss, by chunk size and backend.',
          xLabel: 'chunk size (rows)',
          yLabel: 'milliseconds',
          xValues,
          series: data.results.map((result) => ({
            name: BACKEND_NAMES[result.backend] ?? result.backend,
            color: BACKEND_COLORS[result.backend] ?? '#6e7781',
            points: sizesOf(result).map((x) => ({ x, y: result.milliseconds[String(x)] })),
          })),
        }),
      },
    ];
  },
};
