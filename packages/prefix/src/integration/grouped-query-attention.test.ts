// Prefix tuning on a grouped-query-attention Llama decoder (4 query heads, 2 key/value heads): the
// prefix has the key/value heads' shape, trains, round-trips through a checkpoint, and equals a
// full multi-head model whose key/value weights and prefix repeat each key/value head.
import { type ConditionalExample, createConditionalLmObjective } from '@lm-objectives/lora';
import {
  createBertEncoder,
  createCausalDecoder,
  createGlmEncoder,
  createLlamaDecoder,
  type LlamaDecoder,
  projectToVocabulary,
} from '@lm-objectives/models';
import { readSafetensors } from '@lm-objectives/safetensors';
import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import { createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { bitIdentical, ids, maxDifference, valuesOf } from '../../test/helpers';
import {
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
} from '../checkpoint/encode-prefix-checkpoint';
import { exportPrefix } from '../checkpoint/export-prefix';
import { loadPrefix } from '../checkpoint/load-prefix';
import { createPrefixEncoder } from '../encoder/create-prefix-encoder';
import { applyWithPrefix } from './apply-with-prefix';
import { createPrefixTrainableModel } from './create-prefix-trainable-model';

const HEADS = 4;
const KV_HEADS = 2;
const HEAD_SIZE = 4;
const LAYERS = 2;

/** V = 13, H = 16, 2 layers, 4 query heads of 4 sharing 2 key/value heads. */
function tinyGroupedLlama(numKeyValueHeads = KV_HEADS, seed = 5): LlamaDecoder {
  return createLlamaDecoder({
    vocabularySize: 13,
    hiddenSize: HEADS * HEAD_SIZE,
    numLayers: LAYERS,
    numHeads: HEADS,
    numKeyValueHeads,
    intermediateSize: 32,
    maxPositions: 16,
    initializerRange: 0.5,
    seed,
  });
}

/**
 * Widens rows laid out as `[groups, kvHeads, d]` to `[groups, heads, d]`: query head `h` gets key/value
 * head `source(h)`. With `source(h) = ⌊h / (heads / kvHeads)⌋` this is Hugging Face's `repeat_kv`.
 */
function widenHeads(
  data: Float32Array,
  rows: number,
  groups: number,
  source: (head: number) => number,
): Float32Array {
  const narrow = groups * KV_HEADS * HEAD_SIZE;
  const wide = new Float32Array(rows * groups * HEADS * HEAD_SIZE);
  for (let row = 0; row < rows; row++) {
    for (let group = 0; group < groups; group++) {
      for (let head = 0; head < HEADS; head++) {
        for (let channel = 0; channel < HEAD_SIZE; channel++) {
          wide[((row * groups + group) * HEADS + head) * HEAD_SIZE + channel] =
            data[row * narrow + (group * KV_HEADS + source(head)) * HEAD_SIZE + channel]!;
        }
      }
    }
  }
  return wide;
}

const repeatKv = (head: number) => Math.floor(head / (HEADS / KV_HEADS));

describeEachBackend('prefix tuning with grouped-query attention (Llama decoder)', () => {
  it("sizes the prefix from the decoder's config: [B, numKeyValueHeads, P, d] per layer, L·2·n_kv·d per token", () => {
    const model = tinyGroupedLlama();
    const table = createPrefixEncoder(model.config, { numVirtualTokens: 3 });
    expect(table.sizes).toEqual({
      numLayers: LAYERS,
      numHeads: HEADS,
      numKeyValueHeads: KV_HEADS,
      headSize: HEAD_SIZE,
    });
    expect(table.weights.embedding!.shape).toEqual([3, LAYERS * 2 * KV_HEADS * HEAD_SIZE]);
    const keyValues = table.keyValues(2);
    expect(keyValues.map(({ key, value }) => [key.shape, value.shape])).toEqual(
      Array.from({ length: LAYERS }, () => [
        [2, KV_HEADS, 3, HEAD_SIZE],
        [2, KV_HEADS, 3, HEAD_SIZE],
      ]),
    );
    // With the MLP the embedding and default width are the key width n_kv·d (PEFT's token_dim).
    const mlp = createPrefixEncoder(model.config, { numVirtualTokens: 3, prefixProjection: true });
    expect(mlp.weights.embedding!.shape).toEqual([3, KV_HEADS * HEAD_SIZE]);
    expect(mlp.weights['projection.output.kernel']!.shape).toEqual([8, 32]);
    expect(mlp.exportedParameterCount()).toBe(3 * 32);
    tf.dispose(keyValues.flatMap(({ key, value }) => [key, value]));
    for (const disposable of [table, mlp, model]) disposable.dispose();
  });

  it('accepts the resolved config of every reference model as sizes, numKeyValueHeads defaulting to numHeads', () => {
    const models = [
      createCausalDecoder({ vocabularySize: 13, hiddenSize: 8, numHeads: 2 }),
      createBertEncoder({ vocabularySize: 13, hiddenSize: 8, numHeads: 2 }),
      createGlmEncoder({ vocabularySize: 13, hiddenSize: 8, numHeads: 2 }),
      tinyGroupedLlama(),
    ];
    expect(
      models.map((model) => {
        const prefix = createPrefixEncoder(model.config, { numVirtualTokens: 1 });
        const sizes = prefix.sizes;
        prefix.dispose();
        return sizes;
      }),
    ).toEqual([
      ...Array.from({ length: 3 }, () => ({
        numLayers: 2,
        numHeads: 2,
        numKeyValueHeads: 2,
        headSize: 4,
      })),
      { numLayers: LAYERS, numHeads: HEADS, numKeyValueHeads: KV_HEADS, headSize: HEAD_SIZE },
    ]);
    for (const model of models) model.dispose();
  });

  it('a grouped prefix gives the logits of a full multi-head model whose key/value weights and prefix repeat each key/value head', () => {
    const grouped = tinyGroupedLlama();
    const full = tinyGroupedLlama(HEADS, 6);
    const widenedWeights = (source: (head: number) => number) =>
      Object.fromEntries(
        Object.entries(grouped.getWeights()).map(([name, entry]) => {
          if (!/attention\.(key|value)\.kernel$/.test(name)) return [name, entry];
          // Kernel [H, n_kv·d] → [H, n·d].
          const rows = entry.shape[0]!;
          return [
            name,
            { shape: [rows, HEADS * HEAD_SIZE], data: widenHeads(entry.data, rows, 1, source) },
          ];
        }),
      );
    const prefix = createPrefixEncoder(grouped.config, {
      numVirtualTokens: 3,
      initializerRange: 1,
      seed: 2,
    });
    const widePrefix = createPrefixEncoder(full.config, { numVirtualTokens: 3 });
    const wideTable = (source: (head: number) => number) =>
      tf.tensor2d(widenHeads(valuesOf(prefix.weights.embedding!), 3, LAYERS * 2, source), [
        3,
        LAYERS * 2 * HEADS * HEAD_SIZE,
      ]);
    const inputs = () => ({
      inputIds: ids([
        [3, 4, 5, 6, 7],
        [8, 9, 2, 0, 0],
      ]),
      attentionMask: ids([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
      ]),
    });
    const logits = (model: LlamaDecoder, source: typeof prefix) =>
      tf.tidy(() => projectToVocabulary(applyWithPrefix(model, source, inputs())));
    const expected = logits(grouped, prefix);
    const compareWith = (source: (head: number) => number) => {
      full.setWeights(widenedWeights(source));
      const table = wideTable(source);
      widePrefix.weights.embedding!.assign(table);
      table.dispose();
      const actual = logits(full, widePrefix);
      const difference = maxDifference(actual, expected);
      actual.dispose();
      return difference;
    };
    // Query head h reads key/value head ⌊h / 2⌋ (repeat_kv): the same logits.
    expect(compareWith(repeatKv)).toBeLessThan(1e-5);
    // The same weights grouped the other way (h reads h mod 2) give other logits: the test can fail.
    expect(compareWith((head) => head % KV_HEADS)).toBeGreaterThan(1e-3);
    // The prefix matters here: without it the logits differ too.
    const withoutPrefix = tf.tidy(() => projectToVocabulary(grouped.apply(inputs())));
    expect(maxDifference(withoutPrefix, expected)).toBeGreaterThan(1e-3);
    tf.dispose([expected, withoutPrefix]);
    for (const disposable of [prefix, widePrefix, grouped, full]) disposable.dispose();
  });

  it('prefix keys are used as given (not rotated) and real tokens start at position 0: a uniform position shift changes the outputs only with a prefix', () => {
    const model = tinyGroupedLlama();
    const prefix = createPrefixEncoder(model.config, { numVirtualTokens: 2, initializerRange: 1 });
    const inputIds = ids([[3, 4, 5, 6]]);
    const from = (start: number) => ids([[start, start + 1, start + 2, start + 3]]);
    const [zero, two] = [from(0), from(2)];
    const run = (positionIds: tf.Tensor | undefined, withPrefix: boolean) =>
      tf.tidy(() => {
        const inputs = positionIds ? { inputIds, positionIds } : { inputIds };
        return withPrefix
          ? applyWithPrefix(model, prefix, inputs).hiddenStates
          : model.apply(inputs).hiddenStates;
      });
    const [implicit, explicitZero, shifted] = [
      run(undefined, true),
      run(zero, true),
      run(two, true),
    ];
    // Without positionIds the real tokens are at 0…L−1, whatever P is.
    expect(bitIdentical(valuesOf(implicit), valuesOf(explicitZero))).toBe(true);
    // Real–real scores depend on i − j only, but query–prefix scores see the query's absolute
    // rotation against an unrotated prefix key: shifting every real position moves the outputs.
    expect(maxDifference(implicit, shifted)).toBeGreaterThan(1e-3);
    const [plain, plainShifted] = [run(zero, false), run(two, false)];
    expect(maxDifference(plain, plainShifted)).toBeLessThan(2e-5);
    tf.dispose([implicit, explicitZero, shifted, plain, plainShifted, inputIds, zero, two]);
    prefix.dispose();
    model.dispose();
  });

  it('trains through createTrainer: the loss falls, gradients reach every layer and key/value head of the prefix, the base stays bit-identical', () => {
    const model = tinyGroupedLlama();
    const prefix = createPrefixEncoder(model.config, {
      numVirtualTokens: 4,
      initializerRange: 0.5,
      seed: 3,
    });
    const examples: ConditionalExample[] = [
      { prompt: [2, 3], completion: [7, 8, 9] },
      { prompt: [4, 3], completion: [10, 11] },
      { prompt: [5, 6, 3], completion: [12, 7] },
    ];
    const objective = createConditionalLmObjective({ eosTokenId: 1 });
    const adapter = createPrefixTrainableModel(model, prefix);
    const trainer = createTrainer({
      objective,
      model: adapter,
      learningRate: 0.05,
      optimizer: { weightDecay: 0 },
      seed: 1,
    });
    expect(trainer.variables).toEqual(prefix.variables);
    const batch = objective.createBatch(examples, { random: trainer.random });

    // The gradient of the loss reaches every [layer, key/value, key/value head] block of the table.
    const tensors = {
      inputIds: tf.tensor(batch.fields.inputIds.data, [...batch.fields.inputIds.shape], 'int32'),
      attentionMask: tf.tensor(
        Int32Array.from(batch.fields.attentionMask.data),
        [...batch.fields.attentionMask.shape],
        'int32',
      ),
    };
    const { value, grads } = tf.variableGrads(() => {
      const outputs = adapter.apply({ tensors, batch, training: false });
      return objective.computeLoss({ outputs, batch }).loss as tf.Scalar;
    }, [...prefix.variables]);
    const gradient = grads[prefix.weights.embedding!.name]!.dataSync();
    for (let block = 0; block < LAYERS * 2 * KV_HEADS; block++) {
      let largest = 0;
      for (let row = 0; row < 4; row++) {
        for (let channel = 0; channel < HEAD_SIZE; channel++) {
          const at = row * LAYERS * 2 * KV_HEADS * HEAD_SIZE + block * HEAD_SIZE + channel;
          largest = Math.max(largest, Math.abs(gradient[at]!));
        }
      }
      expect(largest, `block ${block}`).toBeGreaterThan(0);
    }
    tf.dispose([value, ...Object.values(grads), ...Object.values(tensors)]);

    const baseBefore = model.variables.map(valuesOf);
    const before = trainer.evaluate([batch]).loss;
    for (let step = 0; step < 30; step++) trainer.trainStep([batch]);
    const after = trainer.evaluate([batch]).loss;
    console.log(
      `[${tf.getBackend()}] GQA Llama prefix: completion loss ${before.toFixed(3)} → ${after.toFixed(3)} in 30 steps`,
    );
    expect(after).toBeLessThan(0.7 * before);
    model.variables.forEach((variable, index) => {
      expect(bitIdentical(valuesOf(variable), baseBefore[index]!), variable.name).toBe(true);
    });
    trainer.dispose();
    prefix.dispose();
    model.dispose();
  });

  it('exports [L, 2, n_kv, P, d], loads back with bit-identical outputs, and is refused by a model of other key/value heads', () => {
    const model = tinyGroupedLlama();
    const prefix = createPrefixEncoder(model.config, {
      numVirtualTokens: 2,
      prefixProjection: true,
      initializerRange: 1,
    });
    const checkpoint = exportPrefix(prefix);
    expect([checkpoint.metadata.numHeads, checkpoint.metadata.numKeyValueHeads]).toEqual([
      HEADS,
      KV_HEADS,
    ]);
    const bytes = encodePrefixCheckpoint(checkpoint);
    const file = readSafetensors(bytes, { requireChecksum: true });
    expect(file.tensors.get('key_values')!.shape).toEqual([LAYERS, 2, KV_HEADS, 2, HEAD_SIZE]);
    expect(file.metadata['numKeyValueHeads']).toBe(String(KV_HEADS));
    const loaded = loadPrefix(decodePrefixCheckpoint(bytes), model.config);
    const inputIds = ids([[3, 4, 5]]);
    const trained = applyWithPrefix(model, prefix, { inputIds }).hiddenStates;
    const restored = applyWithPrefix(model, loaded, { inputIds }).hiddenStates;
    expect(bitIdentical(valuesOf(restored), valuesOf(trained))).toBe(true);

    const multiHead = tinyGroupedLlama(HEADS);
    expectInvalidArgument(
      () => loadPrefix(checkpoint, multiHead.config),
      'loadPrefix',
      'checkpoint.metadata.numKeyValueHeads',
      ["numKeyValueHeads = 4 (the model's)", 'numKeyValueHeads = 2'],
      'shape',
    );
    expectInvalidArgument(
      () => applyWithPrefix(multiHead, loaded, { inputIds }),
      'applyWithPrefix',
      'prefix',
      ['numKeyValueHeads = 4', 'numKeyValueHeads = 2'],
      'shape',
    );
    // Sizes without numKeyValueHeads mean plain multi-head attention: refused for this model too.
    const withoutKeyValueHeads = createPrefixEncoder(
      { numLayers: LAYERS, numHeads: HEADS, headSize: HEAD_SIZE },
      { numVirtualTokens: 1 },
    );
    expectInvalidArgument(
      () => applyWithPrefix(model, withoutKeyValueHeads, { inputIds }),
      'applyWithPrefix',
      'prefix',
      ["numKeyValueHeads = 2 (the model's)", 'numKeyValueHeads = 4'],
      'shape',
    );
    tf.dispose([trained, restored, inputIds]);
    for (const disposable of [loaded, prefix, withoutKeyValueHeads, model, multiHead]) {
      disposable.dispose();
    }
  });
});
