// The safetensors benchmark (`packages/safetensors/bench/results/results.json`): bulk reads and
// writes against element-by-element ones.
import { ratio } from './format.mjs';

export const safetensorsIoSchema = {
  id: 'safetensors-io',
  title: 'safetensors',
  matches: (data) =>
    typeof data.read?.speedup === 'number' && typeof data.write?.speedup === 'number',
  machine: (data) => `${data.machine.cpus} cores, Node ${data.machine.node}`,
  headlines: (data) => [
    {
      comparison: 'safetensors bulk read / write vs element by element',
      result: `${ratio(data.read.speedup)} / ${ratio(data.write.speedup)} faster`,
      setting: `${data.sizes.megabytes} MB of float32`,
    },
  ],
};
