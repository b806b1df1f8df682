// Core's `linear` benchmark (`packages/core/bench/results/linear.json`): one training step of a
// two-layer MLP through `linear` and through what `tf.layers.dense` runs.
import { duration, ratio } from './format.mjs';

const caseOf = (data, variant) =>
  data.cases.find((entry) => entry.variant === variant && entry.result?.status === 'ok');

export const linearStepSchema = {
  id: 'linear-step',
  title: 'Training step: `linear`',
  matches: (data) =>
    typeof data.benchmark === 'string' &&
    data.benchmark.startsWith('linear training step') &&
    Array.isArray(data.cases),
  machine: (data) => `${data.cpus}, Node ${data.node}, tfjs ${data.tfjs}, ${data.backend}`,
  headlines(data) {
    const linear = caseOf(data, 'linear');
    const dense = caseOf(data, 'fusedMatMulAutodiff');
    if (!linear || !dense) return [];
    return [
      {
        headline: true,
        comparison:
          'training step with `linear` vs `tf.layers.dense` (`tf.fused.matMul` + autodiff)',
        result: `**${ratio(dense.result.medianCpuMs / linear.result.medianCpuMs)} faster** (${duration(linear.result.medianCpuMs)} vs ${duration(dense.result.medianCpuMs)})`,
        setting: `MLP ${linear.width} → ${linear.hiddenWidth} → ${linear.width} on [${linear.rows}, ${linear.width}], CPU time`,
      },
    ];
  },
};
