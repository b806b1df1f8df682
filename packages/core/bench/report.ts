// Renders bench/results/README.md from the recorded cases.
import type { CaseResult } from './case';
import type { LinearCaseRecord, LossCaseRecord, SuiteSettings } from './run';
import type { LinearVariant, LossVariant } from './variants';

interface LossDocument {
  generatedAt: string;
  node: string;
  tfjs: string;
  backend: string;
  cpus: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  totalRunSeconds: number;
  hiddenSize: number;
  defaultChunkSize: number;
  variants: Record<LossVariant, string>;
  cases: LossCaseRecord[];
  chunkSweep: LossCaseRecord[];
  forwardOnly: LossCaseRecord[];
}

interface LinearDocument {
  benchmark: string;
  variants: Record<LinearVariant, string>;
  cases: LinearCaseRecord[];
}

type Ok = Extract<CaseResult, { status: 'ok' }>;

const ok = (result: CaseResult | undefined): Ok | undefined =>
  result?.status === 'ok' ? result : undefined;
const seconds = (milliseconds: number) =>
  (milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1);
const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
const times = (ratio: number | undefined) =>
  ratio === undefined || !Number.isFinite(ratio) ? '—' : `${ratio.toFixed(ratio < 10 ? 2 : 1)}×`;

function find(
  cases: LossCaseRecord[],
  variant: LossVariant,
  positions: number,
  vocabularySize: number,
) {
  return cases.find(
    (record) =>
      record.variant === variant &&
      record.positions === positions &&
      record.vocabularySize === vocabularySize,
  );
}

function statusCell(result: CaseResult): string {
  if (result.status === 'out of memory') return '**out of memory**';
  if (result.status === 'failed')
    return `failed: ${result.message.slice(0, 60).replace(/\|/g, '/')}`;
  return '';
}

/** Exponent $k$ of $y \propto x^k$ between two points, or undefined. */
function growth(
  x1: number,
  y1: number | undefined,
  x2: number,
  y2: number | undefined,
): number | undefined {
  if (y1 === undefined || y2 === undefined || y1 <= 0 || y2 <= 0) return undefined;
  return Math.log(y2 / y1) / Math.log(x2 / x1);
}

function lossTables(settings: SuiteSettings, document: LossDocument): string[] {
  const lines: string[] = [];
  for (const positions of settings.positions) {
    lines.push(
      `### N = ${positions}, H = ${settings.hiddenSize}`,
      '',
      '| V | variant | runs | wall (s) | CPU (s) | speed-up vs naive (CPU) | × floor (CPU) | peak tensor MiB | naive peak ÷ this | wasm heap MiB |',
      '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const vocabularySize of settings.vocabularySizes) {
      const naive = ok(find(document.cases, 'naive', positions, vocabularySize)?.result);
      const floor = ok(find(document.cases, 'floor', positions, vocabularySize)?.result);
      for (const variant of ['naive', 'crossEntropy', 'linearCrossEntropy', 'floor'] as const) {
        const record = find(document.cases, variant, positions, vocabularySize);
        if (!record) continue;
        const result = ok(record.result);
        const runs = `${record.repeats}${record.warmup === 'small' ? '†' : ''}`;
        if (!result) {
          lines.push(
            `| ${vocabularySize} | ${variant} | ${runs} | ${statusCell(record.result)} | | | | | | ${mebibytes(record.result.wasmHeapBytes) || '—'} |`,
          );
          continue;
        }
        const speedUp = naive ? naive.medianCpuMs / result.medianCpuMs : undefined;
        const overFloor =
          floor && variant !== 'floor' ? result.medianCpuMs / floor.medianCpuMs : undefined;
        const memory =
          naive && variant !== 'naive' ? naive.peakTensorBytes / result.peakTensorBytes : undefined;
        lines.push(
          `| ${vocabularySize} | ${variant} | ${runs} | ${seconds(result.medianMs)} | ${seconds(result.medianCpuMs)} | ${variant === 'naive' ? '1×' : times(speedUp)} | ${variant === 'floor' ? '1×' : times(overFloor)} | ${mebibytes(result.peakTensorBytes)} | ${variant === 'naive' ? '1×' : times(memory)} | ${mebibytes(result.wasmHeapBytes)} |`,
        );
      }
    }
    lines.push('');
  }
  return lines;
}

function scalingNote(settings: SuiteSettings, document: LossDocument): string[] {
  const lines = [
    '## Scaling',
    '',
    'Exponent $k$ of $\\text{cost} \\propto x^k$ between the smallest and largest size measured for each variant (CPU time; peak tensor bytes), with the other dimension fixed. $k = 1$ is linear growth.',
    '',
  ];
  const midV = settings.keyCase.vocabularySize;
  const midN = settings.keyCase.positions;
  lines.push(
    `| variant | time vs N (V = ${midV}) | memory vs N (V = ${midV}) | time vs V (N = ${midN}) | memory vs V (N = ${midN}) |`,
    '| --- | ---: | ---: | ---: | ---: |',
  );
  const exponents = (variant: LossVariant, along: 'N' | 'V') => {
    const points =
      along === 'N'
        ? settings.positions.map((positions) => ({
            x: positions,
            result: ok(find(document.cases, variant, positions, midV)?.result),
          }))
        : settings.vocabularySizes.map((vocabularySize) => ({
            x: vocabularySize,
            result: ok(find(document.cases, variant, midN, vocabularySize)?.result),
          }));
    const measured = points.filter((point) => point.result);
    if (measured.length < 2) return { time: '—', memory: '—' };
    const first = measured[0]!;
    const last = measured[measured.length - 1]!;
    const span = `${first.x}→${last.x}`;
    const time = growth(first.x, first.result!.medianCpuMs, last.x, last.result!.medianCpuMs);
    const memory = growth(
      first.x,
      first.result!.peakTensorBytes,
      last.x,
      last.result!.peakTensorBytes,
    );
    return {
      time: time === undefined ? '—' : `${time.toFixed(2)} (${span})`,
      memory: memory === undefined ? '—' : `${memory.toFixed(2)} (${span})`,
    };
  };
  for (const variant of ['naive', 'crossEntropy', 'linearCrossEntropy', 'floor'] as const) {
    const alongN = exponents(variant, 'N');
    const alongV = exponents(variant, 'V');
    lines.push(
      `| ${variant} | ${alongN.time} | ${alongN.memory} | ${alongV.time} | ${alongV.memory} |`,
    );
  }
  lines.push(
    '',
    '- **Time** grows linearly in $N \\cdot V$ for every variant (each is dominated by $O(N H V)$ products); what differs is the constant: the naive and `crossEntropy` variants pay for transposed-flag products in autodiff of `tf.matMul` (10–20× slower on wasm), the fused loss pays the three untransposed products plus a few elementwise passes over each chunk.',
    "- **Memory** of the naive and `crossEntropy` variants grows with $N \\cdot V$ (several `[N, V]` tensors alive in the backward pass: logits, one-hot labels, softmax, gradient), so the heap runs out first as either grows. The fused loss holds one chunk of logits (`chunkSize · V`) plus gradients of the inputs' size; its peak is dominated by the `[H, V]` weight gradient (the running sum, the chunk's product and their sum during accumulation), so it grows with $V$ and hardly with $N$. The floor holds the three product outputs.",
    '',
  );
  return lines;
}

function targetLines(
  settings: SuiteSettings,
  document: LossDocument,
  linear: LinearDocument,
): string[] {
  const { positions, vocabularySize } = settings.keyCase;
  const naive = ok(find(document.cases, 'naive', positions, vocabularySize)?.result);
  const fused = ok(find(document.cases, 'linearCrossEntropy', positions, vocabularySize)?.result);
  const floor = ok(find(document.cases, 'floor', positions, vocabularySize)?.result);
  const largestFused = find(
    document.cases,
    'linearCrossEntropy',
    settings.largestCase.positions,
    settings.largestCase.vocabularySize,
  );
  const largestNaive = find(
    document.cases,
    'naive',
    settings.largestCase.positions,
    settings.largestCase.vocabularySize,
  );
  const linearStep = ok(linear.cases.find((record) => record.variant === 'linear')?.result);
  const denseStep = ok(
    linear.cases.find((record) => record.variant === 'fusedMatMulAutodiff')?.result,
  );
  if (settings.smoke) {
    return [
      '## Targets',
      '',
      'Smoke mode (tiny sizes, one run): the targets apply to the full run only.',
      '',
    ];
  }
  const verdict = (met: boolean | undefined) =>
    met === undefined ? 'not measured' : met ? '**met**' : '**not met**';
  const lines = [
    `## Targets (N = ${positions}, H = ${settings.hiddenSize}, V = ${vocabularySize}, wasm, one run)`,
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
  ];
  if (naive && fused) {
    const cpu = naive.medianCpuMs / fused.medianCpuMs;
    const wall = naive.medianMs / fused.medianMs;
    lines.push(
      `| \`linearCrossEntropy\` ≥ 5× faster than naive | ${cpu.toFixed(1)}× (CPU time), ${wall.toFixed(1)}× (wall time) | ${verdict(Math.min(cpu, wall) >= 5)} |`,
    );
    const memory = fused.peakTensorBytes / naive.peakTensorBytes;
    lines.push(
      `| … with ≤ ¼ of naive's peak tensor memory | ${mebibytes(fused.peakTensorBytes)} MiB vs ${mebibytes(naive.peakTensorBytes)} MiB = ${(memory * 100).toFixed(0)} % | ${verdict(memory <= 0.25)} |`,
    );
  } else {
    lines.push(
      '| `linearCrossEntropy` ≥ 5× faster than naive, ≤ ¼ memory | a variant did not complete | not measured |',
    );
  }
  if (fused && floor) {
    const cpu = fused.medianCpuMs / floor.medianCpuMs;
    const wall = fused.medianMs / floor.medianMs;
    lines.push(
      `| \`linearCrossEntropy\` ≤ 1.3× the floor | ${cpu.toFixed(2)}× (CPU time), ${wall.toFixed(2)}× (wall time) | ${verdict(cpu <= 1.3)} |`,
    );
  }
  if (largestFused) {
    const fits = largestFused.result.status === 'ok';
    const naiveFails = largestNaive ? largestNaive.result.status !== 'ok' : undefined;
    lines.push(
      `| V = ${settings.largestCase.vocabularySize} at N = ${settings.largestCase.positions} completes within the wasm heap (naive cannot) | fused: ${fits ? `completed, heap ${mebibytes(largestFused.result.wasmHeapBytes)} MiB` : largestFused.result.status}; naive: ${largestNaive ? (largestNaive.result.status === 'ok' ? 'completed' : largestNaive.result.status) : 'not run'} | ${verdict(fits && naiveFails !== false)} |`,
    );
  }
  if (linearStep && denseStep) {
    const cpu = denseStep.medianCpuMs / linearStep.medianCpuMs;
    const wall = denseStep.medianMs / linearStep.medianMs;
    lines.push(
      `| \`linear\` training step ≥ 3× faster than \`tf.layers.dense\`-style autodiff | ${cpu.toFixed(1)}× (CPU time), ${wall.toFixed(1)}× (wall time) | ${verdict(Math.min(cpu, wall) >= 3)} |`,
    );
  }
  lines.push('');
  return lines;
}

export function renderReadme(
  settings: SuiteSettings,
  document: LossDocument,
  linear: LinearDocument,
): string {
  const lines = [
    '# Benchmark results: fused linear cross-entropy and `linear`',
    '',
    `Generated by \`pnpm bench\` in \`packages/core\` (do not edit by hand: rerun it). ${document.generatedAt}; ${document.cpus}; Node ${document.node}; tfjs ${document.tfjs}; backend ${document.backend}. Whole run: ${(document.totalRunSeconds / 60).toFixed(1)} min. Load average at start ${document.loadAverageAtStart.join(' / ')}, at end ${document.loadAverageAtEnd.join(' / ')} (1 / 5 / 15 min).`,
    '',
    'Machine-readable: [`linear-cross-entropy.json`](linear-cross-entropy.json), [`linear.json`](linear.json).',
    '',
    ...targetLines(settings, document, linear),
    '## How it was measured',
    '',
    '- One forward + backward pass of a language-model head: mean token cross-entropy of `h · W` (`h` `[N, H]`, `W` `[H, V]`, no bias, no ignored labels), and its gradients with respect to `h` and `W`.',
    ...(['naive', 'crossEntropy', 'linearCrossEntropy', 'floor'] as const).map(
      (variant) => `- **${variant}**: ${document.variants[variant]}.`,
    ),
    '- Every case runs in its own Node process (the wasm heap grows up to 4 GiB and never shrinks); variants of one size run back to back.',
    '- Runs: after a warm-up run (full size; marked † where the warm-up used 64 rows to save time), 3 timed runs for the key case and for cases estimated at ≤ 8 s on an idle machine, 2 for ≤ 25 s, 1 for longer ones. Medians of the timed runs.',
    "- **Wall** is `performance.now()` around the step; **CPU** is the process's user + system time (`process.cpuUsage()`) over the same step. The wasm backend runs on one thread, so on an idle machine the two agree; this machine was shared with other work during the run (see the load averages above), which inflates wall time by the time spent waiting for a core, unevenly from case to case. The ratios are therefore computed on CPU time; wall times are listed alongside.",
    "- **Peak tensor MiB**: peak of `tf.memory().numBytes` during a timed run above what was held before it (the inputs `h`, `W`, labels, and for the floor its pre-transposed operands and the stand-in gradient, are excluded). **wasm heap**: the heap size at the end of the process, i.e. its high-water mark, including XNNPACK's packed weight copies, which tensor bytes do not count.",
    `- \`linearCrossEntropy\` runs with its default chunk size (${document.defaultChunkSize} rows).`,
    '',
    '## Loss layer: one forward + backward',
    '',
    ...lossTables(settings, document),
    '## Chunk size of `linearCrossEntropy`',
    '',
    '| N | V | chunkSize | runs | wall (s) | CPU (s) | peak tensor MiB | wasm heap MiB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...document.chunkSweep.map((record) => {
      const result = ok(record.result);
      return result
        ? `| ${record.positions} | ${record.vocabularySize} | ${record.chunkSize} | ${record.repeats} | ${seconds(result.medianMs)} | ${seconds(result.medianCpuMs)} | ${mebibytes(result.peakTensorBytes)} | ${mebibytes(result.wasmHeapBytes)} |`
        : `| ${record.positions} | ${record.vocabularySize} | ${record.chunkSize} | ${record.repeats} | ${statusCell(record.result)} | | | |`;
    }),
    '',
    '## Forward only (no gradient tape)',
    '',
    "`customGrad`'s forward function cannot know whether a backward pass will follow, so `linearCrossEntropy` asks the engine before entering it (`tf.engine().isTapeOn()`): while a tape records (`tf.grad`, `tf.grads`, `tf.variableGrads`, `optimizer.minimize`) and the reduction is `'mean'` or `'sum'`, the forward sweep also computes the gradients and the backward pass only scales them; otherwise (evaluation) only the logits product runs. Loss alone, no tape, same size as the key case:",
    '',
    '| variant | runs | wall (s) | CPU (s) | forward + backward ÷ forward (CPU) | peak tensor MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...document.forwardOnly.map((record) => {
      const result = ok(record.result);
      if (!result)
        return `| ${record.variant} | ${record.repeats} | ${statusCell(record.result)} | | | |`;
      const full = ok(
        find(document.cases, record.variant, record.positions, record.vocabularySize)?.result,
      );
      return `| ${record.variant} | ${record.repeats} | ${seconds(result.medianMs)} | ${seconds(result.medianCpuMs)} | ${full ? times(full.medianCpuMs / result.medianCpuMs) : '—'} | ${mebibytes(result.peakTensorBytes)} |`;
    }),
    '',
    '## `linear` training step',
    '',
    `${linear.benchmark}.`,
    '',
    ...(Object.entries(linear.variants) as [LinearVariant, string][]).map(
      ([variant, description]) => `- **${variant}**: ${description}.`,
    ),
    '',
    '| variant | runs | wall (s) | CPU (s) | speed-up of `linear` (CPU) | peak tensor MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...linear.cases.map((record) => {
      const result = ok(record.result);
      const linearResult = ok(linear.cases.find((item) => item.variant === 'linear')?.result);
      if (!result)
        return `| ${record.variant} | ${record.repeats} | ${statusCell(record.result)} | | | |`;
      const speedUp = linearResult ? result.medianCpuMs / linearResult.medianCpuMs : undefined;
      return `| ${record.variant} | ${record.repeats} | ${seconds(result.medianMs)} | ${seconds(result.medianCpuMs)} | ${record.variant === 'linear' ? '1×' : times(speedUp)} | ${mebibytes(result.peakTensorBytes)} |`;
    }),
    '',
    ...scalingNote(settings, document),
  ];
  return `${lines.join('\n')}\n`;
}
