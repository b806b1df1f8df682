// Forward + backward time per token of the three models on the wasm backend: the models as built
// (core's `linear`, attention products with explicit transposes) against the same models computing
// every product through plain `tf.matMul` autodiff. Variants run interleaved in one process on the
// same weights; medians after a warm-up. `--smoke` runs a seconds-long version and writes nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import {
  createBertEncoder,
  createCausalDecoder,
  createGlmEncoder,
  type TransformerModel,
} from '../src/index';
import { setAutodiffAttentionProducts } from '../src/layers/batched-product';
import { type BenchInputs, makeInputs, modelLoss } from './support/model-inputs';

const smoke = process.argv.includes('--smoke');

/** How each variant computes the products. */
const VARIANTS = {
  /** The models as shipped. */
  'core linear': { linears: 'core', attention: 'explicit' },
  /** Only the named linears through `tf.matMul` autodiff (isolates `linear`'s gain). */
  'matMul linears': { linears: 'matMul', attention: 'explicit' },
  /** Every product through `tf.matMul` autodiff: what a straightforward model does. */
  'matMul everywhere': { linears: 'matMul', attention: 'autodiff' },
} as const;
type Variant = keyof typeof VARIANTS;

const SIZES = smoke
  ? {
      vocabularySize: 500,
      hiddenSize: 32,
      numLayers: 1,
      numHeads: 4,
      batchSize: 2,
      length: 16,
      repeats: 2,
      warmups: 1,
    }
  : {
      vocabularySize: 3000,
      hiddenSize: 64,
      numLayers: 2,
      numHeads: 4,
      batchSize: 16,
      length: 64,
      repeats: 7,
      warmups: 2,
    };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Installs the variant on `model`; returns its removal. */
function useVariant(model: TransformerModel, variant: Variant): () => void {
  const { linears, attention } = VARIANTS[variant];
  setAutodiffAttentionProducts(attention === 'autodiff');
  const removals =
    linears === 'matMul'
      ? Object.keys(model.linears).map((name) =>
          model.wrapLinear(name, (x, _next, layer) => {
            const rows = tf.reshape(x, [-1, layer.inputSize]);
            const product = tf.add(tf.matMul(rows, layer.kernel), layer.bias!);
            return tf.reshape(product, [...x.shape.slice(0, -1), layer.outputSize]);
          }),
        )
      : [];
  return () => {
    for (const remove of removals) remove();
    setAutodiffAttentionProducts(false);
  };
}

/** One forward + backward pass; returns [milliseconds, loss]. */
function timeStep(model: TransformerModel, inputs: BenchInputs): [number, number] {
  const start = performance.now();
  const { value, grads } = tf.variableGrads(
    () => modelLoss(model, inputs),
    model.variables as tf.Variable[],
  );
  // Reading a value waits for every kernel (wasm runs synchronously, but be explicit).
  const loss = value.dataSync()[0]!;
  for (const gradient of Object.values(grads)) gradient.dataSync();
  const elapsed = performance.now() - start;
  tf.dispose([value, ...Object.values(grads)]);
  return [elapsed, loss];
}

async function main(): Promise<void> {
  register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  tf.env().set('PROD', true);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  await tf.ready();

  const { batchSize, length, repeats, warmups, ...modelSizes } = SIZES;
  const config = {
    ...modelSizes,
    intermediateSize: 4 * modelSizes.hiddenSize,
    maxPositions: Math.max(128, length),
    seed: 1,
  };
  const models: [string, TransformerModel][] = [
    ['BERT encoder', createBertEncoder(config) as unknown as TransformerModel],
    ['GLM encoder', createGlmEncoder(config) as unknown as TransformerModel],
    ['causal decoder', createCausalDecoder(config) as unknown as TransformerModel],
  ];
  const tokens = batchSize * length;
  const rows: Record<string, unknown>[] = [];
  for (const [name, model] of models) {
    const inputs = makeInputs(model.kind, batchSize, length, config.vocabularySize);
    const times: Record<Variant, number[]> = {
      'core linear': [],
      'matMul linears': [],
      'matMul everywhere': [],
    };
    const losses: Record<Variant, number> = {
      'core linear': 0,
      'matMul linears': 0,
      'matMul everywhere': 0,
    };
    for (let round = 0; round < warmups + repeats; round++) {
      for (const variant of Object.keys(VARIANTS) as Variant[]) {
        const remove = useVariant(model, variant);
        const [milliseconds, loss] = timeStep(model, inputs);
        remove();
        if (round >= warmups) times[variant].push(milliseconds);
        losses[variant] = loss;
      }
    }
    const medians = Object.fromEntries(
      Object.entries(times).map(([variant, values]) => [variant, median(values)]),
    ) as Record<Variant, number>;
    const row = {
      model: name,
      parameters: model.parameterCounts().total,
      tokensPerStep: tokens,
      microsecondsPerToken: Object.fromEntries(
        Object.entries(medians).map(([variant, value]) => [
          variant,
          Number(((1000 * value) / tokens).toFixed(2)),
        ]),
      ),
      tokensPerSecond: Math.round((1000 * tokens) / medians['core linear']),
      ratioMatMulLinearsOverCore: Number(
        (medians['matMul linears'] / medians['core linear']).toFixed(2),
      ),
      ratioMatMulEverywhereOverCore: Number(
        (medians['matMul everywhere'] / medians['core linear']).toFixed(2),
      ),
      losses,
      timesMs: times,
    };
    rows.push(row);
    console.log(
      `${name.padEnd(15)} ${row.tokensPerSecond} tokens/s; matMul linears ×${row.ratioMatMulLinearsOverCore}, matMul everywhere ×${row.ratioMatMulEverywhereOverCore} (losses ${Object.values(
        losses,
      )
        .map((loss) => loss.toFixed(5))
        .join(' / ')})`,
    );
    inputs.dispose();
    model.dispose();
  }
  if (smoke) return;
  const results = {
    date: new Date().toISOString(),
    backend: 'wasm (single-threaded in Node)',
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()}`,
    sizes: { ...config, batchSize, length, repeats, warmups },
    rows,
  };
  const folder = new URL('./results/', import.meta.url);
  mkdirSync(folder, { recursive: true });
  writeFileSync(new URL('models-bench.json', folder), `${JSON.stringify(results, null, 2)}\n`);
  const table = [
    '| model | parameters | tokens/s (core linear) | µs/token: core linear | matMul linears | matMul everywhere | ratio matMul linears / core | ratio matMul everywhere / core |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const perToken = row['microsecondsPerToken'] as Record<Variant, number>;
      return `| ${row['model']} | ${row['parameters']} | ${row['tokensPerSecond']} | ${perToken['core linear']} | ${perToken['matMul linears']} | ${perToken['matMul everywhere']} | ${row['ratioMatMulLinearsOverCore']}× | ${row['ratioMatMulEverywhereOverCore']}× |`;
    }),
  ].join('\n');
  writeFileSync(new URL('models-bench.md', folder), `${table}\n`);
  console.log(`\n${table}`);
}

await main();
