// Prefix tuning's benchmark (`packages/prefix/bench/results/results.json`): step time and trainable
// parameters of prefix tuning, LoRA and full fine-tuning, per backend.
import { ratio } from './format.mjs';

export const prefixStepSchema = {
  id: 'prefix-step',
  title: 'Prefix tuning',
  matches: (data) =>
    Array.isArray(data.results) &&
    data.results.some(
      (entry) => Array.isArray(entry.variants) && typeof entry.backend === 'string',
    ),
  machine: (data) => `${data.machine.cpus} cores, Node ${data.machine.node}`,
  headlines(data) {
    const wasm = data.results.find((entry) => entry.backend === 'wasm') ?? data.results[0];
    const table = wasm.variants.find((variant) => variant.name.startsWith('prefix (table)'));
    if (!table) return [];
    return [
      {
        comparison: 'prefix tuning (table) step vs LoRA and vs full fine-tuning',
        result: `${ratio(table.stepTimeVersusLora)} LoRA's step time, ${ratio(table.stepTimeVersusFullFineTuning)} full fine-tuning's`,
        setting: `${wasm.backend}, ${data.sizes.numLayers} layers, H ${data.sizes.hiddenSize}, P = ${data.sizes.virtualTokens}`,
      },
    ];
  },
};
