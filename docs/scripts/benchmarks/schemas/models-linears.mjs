// The reference models' benchmark (`packages/models/bench/results/models-bench.json`): a training
// step with core's `linear` against the same models written with `tf.matMul`.
import { ratio } from './format.mjs';

export const modelsLinearsSchema = {
  id: 'models-linears',
  title: 'Reference models',
  matches: (data) =>
    Array.isArray(data.rows) &&
    data.rows.some((row) => typeof row.ratioMatMulLinearsOverCore === 'number'),
  machine: (data) => `${data.cpu}, Node ${data.node}, ${data.backend}`,
  headlines(data) {
    const ratios = data.rows.map((row) => row.ratioMatMulLinearsOverCore);
    return [
      {
        comparison: "reference models' training step with core's `linear` vs `tf.matMul` linears",
        result: `${ratio(Math.min(...ratios))}–${ratio(Math.max(...ratios))} faster`,
        setting: `${data.rows.map((row) => row.model).join(', ')}; H ${data.sizes.hiddenSize}, ${data.sizes.batchSize} × ${data.sizes.length} tokens`,
      },
    ];
  },
};
