// Core's loss-layer benchmark (`packages/core/bench/results/linear-cross-entropy.json`): one
// forward + backward of a language-model head for four variants over a grid of N and V.
import { lineChart } from '../line-chart.mjs';
import { duration, mebibytes, ratio } from './format.mjs';

const VARIANTS = [
  ['naive', 'naive autodiff (tf.losses on one-hot)', '#c2410c'],
  ['crossEntropy', 'crossEntropy on full logits', '#8a4fd3'],
  ['linearCrossEntropy', 'linearCrossEntropy (fused)', '#2f6fde'],
  ['floor', 'floor: the three products alone', '#6e7781'],
];

/** The case the targets were set for: N = 1024 positions, V = 32,000. */
const KEY_CASE = { positions: 1024, vocabularySize: 32000 };

function find(data, variant, positions, vocabularySize) {
  return data.cases.find(
    (entry) =>
      entry.variant === variant &&
      entry.positions === positions &&
      entry.vocabularySize === vocabularySize,
  );
}

const ok = (entry) => entry?.result?.status === 'ok';

function series(data, fixed, varying, measure) {
  const values = [
    ...new Set(
      data.cases.filter((entry) => entry[fixed.key] === fixed.value).map((entry) => entry[varying]),
    ),
  ].sort((a, b) => a - b);
  return {
    xValues: values,
    series: VARIANTS.map(([variant, name, color]) => ({
      name,
      color,
      points: values.map((x) => {
        const entry = data.cases.find(
          (candidate) =>
            candidate.variant === variant &&
            candidate[fixed.key] === fixed.value &&
            candidate[varying] === x,
        );
        return { x, y: ok(entry) ? measure(entry.result) : undefined };
      }),
    })),
  };
}

function largestFitting(data, variant, positions) {
  const fitting = data.cases.filter(
    (entry) => entry.variant === variant && entry.positions === positions && ok(entry),
  );
  return Math.max(0, ...fitting.map((entry) => entry.vocabularySize));
}

export const linearCrossEntropySchema = {
  id: 'linear-cross-entropy',
  title: 'Loss layer: fused linear cross-entropy',
  matches: (data) =>
    typeof data.benchmark === 'string' &&
    data.benchmark.startsWith('linear cross-entropy') &&
    Array.isArray(data.cases),
  machine: (data) => `${data.cpus}, Node ${data.node}, tfjs ${data.tfjs}, ${data.backend}`,
  headlines(data) {
    const { positions, vocabularySize } = KEY_CASE;
    const naive = find(data, 'naive', positions, vocabularySize);
    const fused = find(data, 'linearCrossEntropy', positions, vocabularySize);
    const floor = find(data, 'floor', positions, vocabularySize);
    const setting = `N = ${positions}, H = ${data.hiddenSize}, V = ${vocabularySize.toLocaleString('en-US')}, one forward + backward, CPU time`;
    const rows = [];
    if (ok(naive) && ok(fused)) {
      rows.push({
        headline: true,
        comparison: '`linearCrossEntropy` (fused) vs naive autodiff: time',
        result: `**${ratio(naive.result.medianCpuMs / fused.result.medianCpuMs)} faster** (${duration(fused.result.medianCpuMs)} vs ${duration(naive.result.medianCpuMs)})`,
        setting,
      });
      rows.push({
        headline: true,
        comparison: '`linearCrossEntropy` vs naive autodiff: peak tensor memory',
        result: `**${ratio(naive.result.peakTensorBytes / fused.result.peakTensorBytes)} less** (${mebibytes(fused.result.peakTensorBytes)} vs ${mebibytes(naive.result.peakTensorBytes)})`,
        setting: `N = ${positions}, V = ${vocabularySize.toLocaleString('en-US')}`,
      });
    }
    if (ok(fused) && ok(floor)) {
      rows.push({
        comparison: '`linearCrossEntropy` vs its floor (the three matrix products alone)',
        result: `${ratio(fused.result.medianCpuMs / floor.result.medianCpuMs)} the floor's time`,
        setting,
      });
    }
    const largestPositions = Math.max(...data.cases.map((entry) => entry.positions));
    const fusedLargest = largestFitting(data, 'linearCrossEntropy', largestPositions);
    const naiveLargest = largestFitting(data, 'naive', largestPositions);
    if (fusedLargest > naiveLargest) {
      rows.push({
        headline: true,
        comparison: 'largest vocabulary that fits in the 4 GiB wasm heap',
        result: `fused: V = ${fusedLargest.toLocaleString('en-US')}; naive: V = ${naiveLargest.toLocaleString('en-US')}`,
        setting: `N = ${largestPositions}`,
      });
    }
    return rows;
  },
  charts(data) {
    const { positions, vocabularySize } = KEY_CASE;
    const byVocabulary = { key: 'positions', value: positions };
    const byPositions = { key: 'vocabularySize', value: vocabularySize };
    const seconds = (result) => result.medianCpuMs / 1000;
    const mib = (result) => result.peakTensorBytes / 2 ** 20;
    const vLabel = `vocabulary V (N = ${positions})`;
    const nLabel = `positions N (V = ${vocabularySize.toLocaleString('en-US')})`;
    return [
      {
        file: 'perf-loss-time-by-vocabulary.svg',
        caption: `Time of one forward + backward pass against the vocabulary size, N = ${positions}, H = ${data.hiddenSize}.`,
        alt: 'Line chart, log scales: CPU seconds against vocabulary size for four loss variants; the fused loss stays close to the floor of the three matrix products while the naive and full-logit variants are about 8 times slower and run out of memory at the largest vocabulary.',
        svg: lineChart({
          title: 'Loss layer: time vs vocabulary',
          description: 'CPU time of one forward and backward pass, by variant and vocabulary size.',
          xLabel: vLabel,
          yLabel: 'CPU seconds',
          formatY: (value) => `${value}`,
          ...series(data, byVocabulary, 'vocabularySize', seconds),
        }),
      },
      {
        file: 'perf-loss-memory-by-vocabulary.svg',
        caption: `Peak tensor memory (above the inputs) against the vocabulary size, N = ${positions}.`,
        alt: 'Line chart, log scales: peak tensor MiB against vocabulary size; the naive loss uses about five times the fused loss’s memory and runs out of memory first.',
        svg: lineChart({
          title: 'Loss layer: peak memory vs vocabulary',
          description:
            'Peak tensor memory of one forward and backward pass, by variant and vocabulary size.',
          xLabel: vLabel,
          yLabel: 'peak tensor MiB',
          ...series(data, byVocabulary, 'vocabularySize', mib),
        }),
      },
      {
        file: 'perf-loss-time-by-positions.svg',
        caption: `Time against the number of scored positions, V = ${vocabularySize.toLocaleString('en-US')}.`,
        alt: 'Line chart, log scales: CPU seconds against positions N; every variant grows linearly with N, the fused loss about 8 times below the naive one.',
        svg: lineChart({
          title: 'Loss layer: time vs positions',
          description:
            'CPU time of one forward and backward pass, by variant and number of positions.',
          xLabel: nLabel,
          yLabel: 'CPU seconds',
          formatY: (value) => `${value}`,
          ...series(data, byPositions, 'positions', seconds),
        }),
      },
      {
        file: 'perf-loss-memory-by-positions.svg',
        caption: `Peak tensor memory against the number of positions, V = ${vocabularySize.toLocaleString('en-US')}: the fused loss holds one chunk of logits, so its memory barely grows with N.`,
        alt: 'Line chart, log scales: peak tensor MiB against positions N; the naive and full-logit variants grow linearly, the fused loss stays nearly flat.',
        svg: lineChart({
          title: 'Loss layer: peak memory vs positions',
          description:
            'Peak tensor memory of one forward and backward pass, by variant and number of positions.',
          xLabel: nLabel,
          yLabel: 'peak tensor MiB',
          ...series(data, byPositions, 'positions', mib),
        }),
      },
    ];
  },
};

/** The key case's fused and naive results, for the chunking figure. */
export function keyCaseMemory(data) {
  const { positions, vocabularySize } = KEY_CASE;
  const naive = find(data, 'naive', positions, vocabularySize);
  const fused = find(data, 'linearCrossEntropy', positions, vocabularySize);
  return {
    positions,
    vocabularySize,
    hiddenSize: data.hiddenSize,
    naivePeakBytes: ok(naive) ? naive.result.peakTensorBytes : undefined,
    fusedPeakBytes: ok(fused) ? fused.result.peakTensorBytes : undefined,
  };
}
