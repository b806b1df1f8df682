// LoRA fine-tuning of a small causal decoder with the conditional (completion-only) objective.
// Run it: `node --import tsx lora.ts` (or compile it with tsc). It prints the loss as it falls.

import { createRng } from '@lm-objectives/core';
import {
  createConditionalLmObjective,
  createLoraAdapters,
  encodeLoraCheckpoint,
  saveLoraAdapters,
} from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { createLearningRateSchedule, createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

const EOS = 1;
const VOCABULARY_SIZE = 32;
const STEPS = 40;

// The base model. In practice you load pre-trained weights here (model.setWeights(...)); this
// sketch stands in for them with a wide random initialisation, so that its logits are not flat.
const model = createCausalDecoder({
  initializerRange: 0.5,
  vocabularySize: VOCABULARY_SIZE,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 2,
  maxPositions: 32,
  seed: 1,
});

// Adapters on every attention and feed-forward linear; every base weight is frozen.
const lora = createLoraAdapters(model.linears, {
  rank: 4,
  alpha: 8,
  targets: /attention|feedForward/,
  modelVariables: model.variables,
});
for (const name of lora.adapters.keys()) {
  model.wrapLinear(name, (x) => lora.linear(name, x));
}
const report = lora.parameterReport();
console.log(`training ${report.trainableParameters} of ${report.totalParameters} parameters`);

// Context–target pairs, tokenized separately: the target counts on from the context's last token.
const dataRandom = createRng(3);
const examples = Array.from({ length: 64 }, () => {
  const prompt = Array.from({ length: dataRandom.int(3, 6) }, () => dataRandom.int(2, 24));
  const last = prompt[prompt.length - 1] ?? 2;
  return { prompt, completion: [last + 1, last + 2, last + 3] };
});

// Only the completion (and the EOS appended to it) is scored; the loss shifts internally.
const objective = createConditionalLmObjective({ eosTokenId: EOS, maxLength: 16 });

const trainer = createTrainer({
  objective,
  model: {
    variables: lora.trainableWeights(), // A and B of every adapter, nothing else
    inputFields: ['inputIds', 'attentionMask', 'positionIds'],
    apply: ({ tensors, training }) => {
      const { inputIds, attentionMask, positionIds } = tensors;
      if (!inputIds || !attentionMask || !positionIds) throw new Error('missing batch fields');
      lora.training = training; // adapter dropout only while training
      const { hiddenStates, projection } = model.apply({ inputIds, attentionMask, positionIds });
      return { hiddenStates, projection };
    },
  },
  learningRate: createLearningRateSchedule({ peak: 3e-2, warmupSteps: 4, totalSteps: STEPS }),
  seed: 1,
});

await trainer.train({
  totalSteps: STEPS,
  nextWindow: ({ random, createBatch }) => {
    const start = random.int(0, examples.length - 16);
    return [createBatch(examples.slice(start, start + 16))];
  },
  onProgress: ({ step, loss }) => {
    if (step % 5 === 0) console.log(`step ${step} loss ${loss.toFixed(4)}`);
  },
});

// Adapter weights only: a file orders of magnitude smaller than the model.
const checkpoint = encodeLoraCheckpoint(saveLoraAdapters(lora));
console.log(`adapter checkpoint: ${checkpoint.byteLength} bytes`);

trainer.dispose();
lora.dispose();
model.dispose();
