// Prefix tuning of a frozen causal decoder with the conditional (completion-only) objective.
// Run it: `node --import tsx prefix.ts` (or compile it with tsc). It prints the loss as it falls.

import { createRng } from '@lm-objectives/core';
import { createConditionalLmObjective } from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import {
  createPrefixEncoder,
  createPrefixTrainableModel,
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
  exportPrefix,
  loadPrefix,
} from '@lm-objectives/prefix';
import { createLearningRateSchedule, createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

const EOS = 1;
const VOCABULARY_SIZE = 32;
const STEPS = 40;

// The frozen base model. In practice you load pre-trained weights here (model.setWeights(...));
// this sketch stands in for them with a wide random initialisation, so that its logits are not flat.
const model = createCausalDecoder({
  initializerRange: 0.5,
  vocabularySize: VOCABULARY_SIZE,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 2,
  maxPositions: 32,
  seed: 1,
});

// 8 virtual tokens per layer, trained through the reparameterising MLP.
const prefix = createPrefixEncoder(model.config, {
  numVirtualTokens: 8,
  prefixProjection: true,
  seed: 1,
});
console.log(
  `training ${prefix.parameterCount()} parameters; the model keeps its ${model.parameterCounts().total}`,
);

// Context–target pairs, tokenized separately: the target counts on from the context's last token.
const dataRandom = createRng(3);
const examples = Array.from({ length: 64 }, () => {
  const prompt = Array.from({ length: dataRandom.int(3, 6) }, () => dataRandom.int(2, 24));
  const last = prompt[prompt.length - 1] ?? 2;
  return { prompt, completion: [last + 1, last + 2, last + 3] };
});

// The same objective as LoRA: only the completion (and its EOS) is scored.
const objective = createConditionalLmObjective({ eosTokenId: EOS, maxLength: 16 });

const trainer = createTrainer({
  objective,
  model: createPrefixTrainableModel(model, prefix), // variables: the prefix's only
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

// Export the projected prefixes only (the MLP is discarded), and load them for inference.
const bytes = encodePrefixCheckpoint(exportPrefix(prefix));
const loaded = loadPrefix(decodePrefixCheckpoint(bytes), model.config);
console.log(`prefix checkpoint: ${bytes.byteLength} bytes`);

loaded.dispose();
trainer.dispose();
prefix.dispose();
model.dispose();
