// LoRA's benchmark (`packages/lora/bench/results/results.json`): a training step with adapters
// against full fine-tuning and against a naive adapter, and the trainable share.
import { percent, ratio } from './format.mjs';

export const loraStepSchema = {
  id: 'lora-step',
  title: 'LoRA',
  matches: (data) =>
    typeof data.trainingStep?.loraSpeedup === 'number' && typeof data.parameters === 'object',
  machine: (data) =>
    `${data.machine.cpus} cores, Node ${data.machine.node}, ${data.machine.backend}`,
  headlines(data) {
    const { layers, hidden, rows, rank } = data.sizes;
    const setting = `${layers} layers, H ${hidden}, ${rows} rows, rank ${rank}`;
    return [
      {
        comparison: 'LoRA training step vs full fine-tuning',
        result: `${ratio(data.trainingStep.loraSpeedup)} faster, ${percent(data.parameters.trainableRatio)} of the weights trained`,
        setting,
      },
      {
        comparison: 'LoRA adapters vs a naive adapter (`tf.matMul` with transposes)',
        result: `${ratio(data.adapterImplementation.speedup)} faster`,
        setting,
      },
    ];
  },
};
