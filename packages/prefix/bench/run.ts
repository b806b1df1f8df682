// Benchmark of @lm-objectives/prefix: prefix tuning (table and MLP) versus LoRA versus full
// fine-tuning on the same tiny causal decoder, measured side by side in one run — trainable
// parameters and the time of one `createTrainer` step with the conditional objective, on cpu and
// wasm. Figures are medians of interleaved timed runs after a warm-up; read the ratios. `--smoke`
// runs a seconds-long version and writes nothing.
//
//   node --import tsx bench/run.ts [--smoke]
import { writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@lm-objectives/core';
import {
  type ConditionalExample,
  type ConditionalLmBatch,
  createConditionalLmObjective,
  createLoraAdapters,
} from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { createTrainer, type Trainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { createPrefixEncoder, createPrefixTrainableModel } from '../src/index';

register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
// tfjs-core alone registers no gradients in Node; its ESM entry needs the hook above.
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-wasm');

const smoke = process.argv.includes('--smoke');
const here = dirname(fileURLToPath(import.meta.url));
tf.env().set('PROD', true);

const SIZES = smoke
  ? {
      hiddenSize: 16,
      numLayers: 1,
      numHeads: 2,
      batch: 2,
      length: 8,
      virtualTokens: 2,
      rank: 2,
      runs: 2,
    }
  : {
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      batch: 8,
      length: 32,
      virtualTokens: 10,
      rank: 4,
      runs: 9,
    };
const VOCABULARY = 64;

/** Times actions interleaved (A, B, C, …, A, B, C, …) so machine load falls on all alike; medians. */
function timeSideBySide(actions: readonly (() => void)[], runs: number, warmup = 2): number[] {
  for (let index = 0; index < warmup; index++) for (const action of actions) action();
  const samples = actions.map(() => [] as number[]);
  for (let index = 0; index < runs; index++) {
    actions.forEach((action, which) => {
      const start = performance.now();
      action();
      samples[which]!.push(performance.now() - start);
    });
  }
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

function examples(count: number): ConditionalExample[] {
  const random = createRng(5);
  const half = Math.floor(SIZES.length / 2) - 1;
  return Array.from({ length: count }, () => ({
    prompt: Array.from({ length: half }, () => random.int(3, VOCABULARY - 1)),
    completion: Array.from({ length: half }, () => random.int(3, VOCABULARY - 1)),
  }));
}

interface VariantResult {
  name: string;
  trainableParameters: number;
  trainableShareOfModel: number;
  stepMedianMs: number;
}

async function measure(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  await tf.ready();
  const config = {
    vocabularySize: VOCABULARY,
    hiddenSize: SIZES.hiddenSize,
    numLayers: SIZES.numLayers,
    numHeads: SIZES.numHeads,
    maxPositions: SIZES.length,
    seed: 1,
  };
  const objective = createConditionalLmObjective({ eosTokenId: 2, maxLength: SIZES.length });
  const batch = objective.createBatch(examples(SIZES.batch), { random: createRng(1) });
  const modelParameters = createCausalDecoder(config);
  const total = modelParameters.parameterCounts().total;
  modelParameters.dispose();

  const variants: { name: string; trainable: number; step: () => void; dispose: () => void }[] = [];
  const addVariant = (
    name: string,
    build: () => {
      trainer: Pick<
        Trainer<ConditionalExample, ConditionalLmBatch, string>,
        'trainStep' | 'dispose'
      >;
      trainable: number;
      dispose: () => void;
    },
  ) => {
    const { trainer, trainable, dispose } = build();
    variants.push({
      name,
      trainable,
      step: () => {
        trainer.trainStep([batch]);
      },
      dispose: () => {
        trainer.dispose();
        dispose();
      },
    });
  };
  for (const prefixProjection of [false, true]) {
    addVariant(`prefix (${prefixProjection ? 'MLP' : 'table'}), P = ${SIZES.virtualTokens}`, () => {
      const decoder = createCausalDecoder(config);
      const prefix = createPrefixEncoder(decoder.config, {
        numVirtualTokens: SIZES.virtualTokens,
        prefixProjection,
      });
      const trainer = createTrainer({
        objective,
        model: createPrefixTrainableModel(decoder, prefix),
      });
      return {
        trainer,
        trainable: prefix.parameterCount(),
        dispose: () => {
          prefix.dispose();
          decoder.dispose();
        },
      };
    });
  }
  addVariant(`LoRA r = ${SIZES.rank} on query and value`, () => {
    const decoder = createCausalDecoder(config);
    const lora = createLoraAdapters(decoder.linears, {
      rank: SIZES.rank,
      modelVariables: decoder.variables,
    });
    for (const name of lora.adapters.keys()) decoder.wrapLinear(name, (x) => lora.linear(name, x));
    const trainer = createTrainer({
      objective,
      model: {
        variables: lora.trainableWeights(),
        apply: ({ tensors, training }) =>
          decoder.apply(
            { inputIds: tensors['inputIds']!, attentionMask: tensors['attentionMask']! },
            { training },
          ),
      },
    });
    return {
      trainer,
      trainable: lora.parameterReport().trainableParameters,
      dispose: () => {
        lora.dispose();
        decoder.dispose();
      },
    };
  });
  addVariant('full fine-tuning', () => {
    const decoder = createCausalDecoder(config);
    const trainer = createTrainer({
      objective,
      model: {
        variables: decoder.variables,
        embeddings: decoder.embeddingVariables,
        apply: ({ tensors, training }) =>
          decoder.apply(
            { inputIds: tensors['inputIds']!, attentionMask: tensors['attentionMask']! },
            { training },
          ),
      },
    });
    return { trainer, trainable: total, dispose: () => decoder.dispose() };
  });

  const medians = timeSideBySide(
    variants.map((variant) => variant.step),
    SIZES.runs,
  );
  const results: VariantResult[] = variants.map((variant, index) => ({
    name: variant.name,
    trainableParameters: variant.trainable,
    trainableShareOfModel: variant.trainable / total,
    stepMedianMs: medians[index]!,
  }));
  for (const variant of variants) variant.dispose();
  const lora = results.find((result) => result.name.startsWith('LoRA'))!;
  const full = results.find((result) => result.name === 'full fine-tuning')!;
  return {
    backend,
    modelParameters: total,
    variants: results.map((result) => ({
      ...result,
      parametersVersusLora: result.trainableParameters / lora.trainableParameters,
      stepTimeVersusLora: result.stepMedianMs / lora.stepMedianMs,
      stepTimeVersusFullFineTuning: result.stepMedianMs / full.stepMedianMs,
    })),
  };
}

const measured = [await measure('cpu'), await measure('wasm')];
const report = {
  generatedBy: 'packages/prefix/bench/run.ts',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, loadAverage1m: loadavg()[0] ?? 0, node: process.version },
  sizes: { vocabularySize: VOCABULARY, ...SIZES },
  results: measured,
};
const table = measured
  .map(
    ({ backend, modelParameters, variants }) =>
      `### ${backend} (model: ${modelParameters} parameters)\n\n` +
      '| variant | trainable parameters | share of model | × LoRA parameters | step (median ms) | × LoRA step time | × full fine-tuning step time |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
      variants
        .map(
          (variant) =>
            `| ${variant.name} | ${variant.trainableParameters} | ${(100 * variant.trainableShareOfModel).toFixed(2)} % | ${variant.parametersVersusLora.toFixed(2)} | ${variant.stepMedianMs.toFixed(1)} | ${variant.stepTimeVersusLora.toFixed(2)} | ${variant.stepTimeVersusFullFineTuning.toFixed(2)} |`,
        )
        .join('\n'),
  )
  .join('\n\n');
console.log(table);
if (!smoke) {
  writeFileSync(join(here, 'results/results.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(here, 'results/results.md'),
    `# Prefix tuning vs LoRA vs full fine-tuning\n\nGenerated by \`pnpm bench\` on ${report.date} (${report.machine.cpus} cores, load average ${report.machine.loadAverage1m.toFixed(1)} when it started). Sizes: ${JSON.stringify(report.sizes)}.\n\n${table}\n`,
  );
}
