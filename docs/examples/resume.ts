// Checkpoints: train, save to a folder, resume in a fresh trainer, and get the losses of a run that
// never stopped; then see what a damaged checkpoint gives. Node (files); in a browser, use
// saveCheckpointToIndexedDb / loadCheckpointFromIndexedDb instead.
// Run it: `node --import tsx resume.ts` (or compile it with tsc).

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@lm-objectives/core';
import { createConditionalLmObjective } from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { CorruptCheckpointError, createTrainer } from '@lm-objectives/trainer';
import {
  loadCheckpointFromDirectory,
  saveCheckpointToDirectory,
} from '@lm-objectives/trainer/node';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

const EOS = 1;
const STEPS = 24;
const SAVED_AT = 12;

// Prompt–completion pairs: the completion counts on from the prompt's last token.
const dataRandom = createRng(3);
const examples = Array.from({ length: 64 }, () => {
  const prompt = Array.from({ length: dataRandom.int(3, 6) }, () => dataRandom.int(2, 24));
  const last = prompt[prompt.length - 1] ?? 2;
  return { prompt, completion: [last + 1, last + 2] };
});
const objective = createConditionalLmObjective({ eosTokenId: EOS, maxLength: 12 });

/** A model and its trainer, built the same way every time (a resumed run rebuilds them). */
function createRun() {
  const model = createCausalDecoder({
    vocabularySize: 32,
    hiddenSize: 16,
    numLayers: 1,
    numHeads: 2,
    maxPositions: 16,
    seed: 1,
  });
  const trainer = createTrainer({
    objective,
    model: {
      variables: model.variables,
      embeddings: model.embeddingVariables,
      inputFields: ['inputIds', 'attentionMask', 'positionIds'],
      apply: ({ tensors }) => {
        const { inputIds, attentionMask, positionIds } = tensors;
        if (!inputIds || !attentionMask || !positionIds) throw new Error('missing batch fields');
        return model.apply({ inputIds, attentionMask, positionIds });
      },
    },
    learningRate: 1e-2,
    seed: 1,
  });
  return { model, trainer };
}

/** Trains until `totalSteps` steps are done in all, and returns the loss of each step. */
async function trainTo(trainer: ReturnType<typeof createRun>['trainer'], totalSteps: number) {
  const losses: number[] = [];
  await trainer.train({
    totalSteps,
    // Batches drawn from trainer.random: a checkpoint captures where the data pipeline stood.
    nextWindow: ({ random, createBatch }) => {
      const start = random.int(0, examples.length - 8);
      return [createBatch(examples.slice(start, start + 8))];
    },
    onProgress: ({ step, loss }) => {
      losses.push(loss);
      if (step % 4 === 0) console.log(`step ${step} loss ${loss.toFixed(4)}`);
    },
  });
  return losses;
}

// 1. Train to step 12 and save: weights, AdamW moments, the step and the random state.
const folder = mkdtempSync(join(tmpdir(), 'lm-objectives-resume-'));
const first = createRun();
const before = await trainTo(first.trainer, SAVED_AT);
await saveCheckpointToDirectory(await first.trainer.saveCheckpoint({ note: 'my run' }), folder);
first.trainer.dispose();
first.model.dispose();
console.log(`saved step ${SAVED_AT}`);

// 2. A new process would start here: rebuild, load, and carry on to step 24.
const resumed = createRun();
const checkpoint = await loadCheckpointFromDirectory(folder);
resumed.trainer.loadCheckpoint(checkpoint);
console.log(
  `resumed at step ${checkpoint.manifest.step} (${JSON.stringify(checkpoint.manifest.metadata)})`,
);
const after = await trainTo(resumed.trainer, STEPS);
resumed.trainer.dispose();
resumed.model.dispose();

// 3. The same 24 steps without stopping give exactly the same losses.
console.log('uninterrupted, for comparison:');
const straight = createRun();
const uninterrupted = await trainTo(straight.trainer, STEPS);
straight.trainer.dispose();
straight.model.dispose();
const identical = [...before, ...after].every((loss, index) => loss === uninterrupted[index]);
console.log(`resumed losses identical to the uninterrupted run: ${identical}`);
if (!identical) throw new Error('the resumed run diverged from the uninterrupted one');

// 4. A damaged checkpoint is refused with a CorruptCheckpointError naming the piece.
const version = readdirSync(folder).find((name) => name.startsWith('v'));
if (!version) throw new Error('no checkpoint version in the folder');
writeFileSync(join(folder, version, 'chunk-00000.bin'), 'not the weights');
try {
  await loadCheckpointFromDirectory(folder);
} catch (error) {
  if (!CorruptCheckpointError.isInstance(error)) throw error;
  console.log(`refused: ${error.problem}`);
}
rmSync(folder, { recursive: true });
