// The trainer's benchmark (`packages/trainer/bench/results/results.json`): its bookkeeping against
// a plain `optimizer.minimize` step.
import { percent } from './format.mjs';

export const trainerOverheadSchema = {
  id: 'trainer-overhead',
  title: 'Trainer',
  matches: (data) => typeof data.trainerOverPlain === 'number',
  machine: (data) => data.machine,
  headlines: (data) => [
    {
      comparison: 'trainer step (clipping, AdamW, leak guard) vs plain `optimizer.minimize`',
      result: `${percent(data.trainerOverPlain - 1)} overhead`,
      setting: data.model,
    },
  ],
};
