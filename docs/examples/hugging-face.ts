// Whole models across the PyTorch border, both ways. Run it: `node --import tsx hugging-face.ts [folder]`.
// With a folder holding a downloaded Llama-family checkpoint (config.json, model.safetensors,
// tokenizer.json) it fine-tunes that; without one it writes a tiny stand-in checkpoint first, so
// that the docs' test runs it offline. It prints the loss as it falls, and writes:
//   <folder>-lora/        a PEFT adapter      → PeftModel.from_pretrained(base, "<folder>-lora")
//   [output]              a GPT-2 checkpoint  → GPT2LMHeadModel.from_pretrained(output)
// where `output` is the second argument (default: a folder in the system's temporary directory).
import { existsSync, mkdirSync, openAsBlob, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, tokenCrossEntropy } from '@lm-objectives/core';
import { createLoraAdapters, exportPeftAdapter } from '@lm-objectives/lora';
import {
  createCausalDecoder,
  createLlamaDecoder,
  exportHuggingFaceModel,
  huggingFaceModuleNames,
  importHuggingFaceModel,
} from '@lm-objectives/models';
import { loadTokenizer } from '@lm-objectives/models/tokenizer';
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true); // no Node banner
await tf.setBackend('cpu'); // or 'wasm' with @tensorflow/tfjs-backend-wasm (much faster)

/** Writes a tiny random Llama checkpoint in the Hugging Face layout (a stand-in for a download). */
function writeStandInCheckpoint(folder: string): void {
  const stand = createLlamaDecoder({
    vocabularySize: 32,
    hiddenSize: 32,
    numLayers: 2,
    numHeads: 4,
    numKeyValueHeads: 2,
    maxPositions: 64,
    initializerRange: 0.3,
    seed: 1,
  });
  const files = exportHuggingFaceModel(stand);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'config.json'), files.configJson);
  writeFileSync(join(folder, 'model.safetensors'), files.weights);
  stand.dispose();
}

// #region import
const folder = process.argv[2] ?? join(tmpdir(), 'lm-objectives-stand-in-llama');
if (!existsSync(join(folder, 'config.json'))) writeStandInCheckpoint(folder);
const imported = await importHuggingFaceModel({
  config: readFileSync(join(folder, 'config.json'), 'utf8'),
  weights: await openAsBlob(join(folder, 'model.safetensors')), // read tensor by tensor
});
if (imported.architecture !== 'LlamaForCausalLM')
  throw new Error('this example fine-tunes a Llama-family model');
const model = imported.model;
console.log(`${imported.architecture}: ${model.parameterCounts().total} parameters`);
// #endregion

// #region data
// Token ids of the training text: the checkpoint's own tokenizer when it has one.
const tokenizerPath = join(folder, 'tokenizer.json');
const random = createRng(7);
const rows: number[][] = existsSync(tokenizerPath)
  ? (() => {
      const tokenizer = loadTokenizer(readFileSync(tokenizerPath, 'utf8'));
      const ids = Array.from(
        tokenizer.encode('The quick brown fox jumps over the lazy dog. '.repeat(8)).inputIds,
      );
      return [ids.slice(0, 32), ids.slice(32, 64)];
    })()
  : // The stand-in has no tokenizer: learn to count upwards, modulo its 32 ids.
    Array.from({ length: 4 }, () => {
      const start = random.int(0, 32);
      return Array.from({ length: 16 }, (_, index) => (start + index) % 32);
    });
// #endregion

// #region lora
const lora = createLoraAdapters(model.linears, {
  rank: 4,
  alpha: 8,
  targets: /attention\.(query|value)$/,
  modelVariables: model.variables, // frozen
});
for (const name of lora.adapters.keys()) model.wrapLinear(name, (x) => lora.linear(name, x));
const optimizer = tf.train.adam(2e-2);
const inputIds = tf.tensor2d(rows, undefined, 'int32');
for (let step = 1; step <= 30; step++) {
  const loss = optimizer.minimize(
    () => tokenCrossEntropy(model.apply({ inputIds }), inputIds, { shift: true }).loss as tf.Scalar,
    true,
    lora.trainableWeights(),
  );
  if (step % 5 === 0) console.log(`step ${step} loss ${loss!.dataSync()[0]!.toFixed(4)}`);
  loss!.dispose();
}
// #endregion

// #region peft
const adapter = exportPeftAdapter(lora, {
  moduleNames: huggingFaceModuleNames('LlamaForCausalLM'), // layers.0.attention.query → model.layers.0.self_attn.q_proj
  taskType: 'CAUSAL_LM',
});
mkdirSync(`${folder}-lora`, { recursive: true });
writeFileSync(join(`${folder}-lora`, 'adapter_config.json'), adapter.configJson);
writeFileSync(join(`${folder}-lora`, 'adapter_model.safetensors'), adapter.weights);
// #endregion
inputIds.dispose();
lora.dispose();
model.dispose();

// #region pretrain
// Pre-train a small GPT-2 here, then hand it to PyTorch.
const gpt2 = createCausalDecoder({
  vocabularySize: 32,
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  maxPositions: 64,
  seed: 2,
});
const pretrainIds = tf.tensor2d(
  rows.map((row) => row.map((id) => id % 32)),
  undefined,
  'int32',
);
const pretrainOptimizer = tf.train.adam(1e-2);
for (let step = 1; step <= 10; step++) {
  const loss = pretrainOptimizer.minimize(
    () =>
      tokenCrossEntropy(gpt2.apply({ inputIds: pretrainIds }), pretrainIds, { shift: true })
        .loss as tf.Scalar,
    true,
    [...gpt2.variables],
  );
  if (step % 5 === 0)
    console.log(`pre-training step ${step} loss ${loss!.dataSync()[0]!.toFixed(4)}`);
  loss!.dispose();
}
const output = process.argv[3] ?? join(tmpdir(), 'lm-objectives-pretrained-here');
const files = exportHuggingFaceModel(gpt2); // config.json says GPT2LMHeadModel
mkdirSync(output, { recursive: true });
writeFileSync(join(output, 'config.json'), files.configJson);
writeFileSync(join(output, 'model.safetensors'), files.weights);
console.log(`wrote ${files.architecture} to ${output}`);
// #endregion
pretrainIds.dispose();
gpt2.dispose();
