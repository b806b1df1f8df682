import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ids, tinyDecoder } from '../test/helpers';
import { exportPrefix } from './checkpoint/export-prefix';
import { loadPrefix } from './checkpoint/load-prefix';
import { createPrefixEncoder } from './encoder/create-prefix-encoder';
import { prefixKeyValuesFromProjection } from './encoder/prefix-key-values';
import { applyWithPrefix } from './integration/apply-with-prefix';
import { createPrefixTrainableModel } from './integration/create-prefix-trainable-model';

const SIZES = { numLayers: 2, numHeads: 2, headSize: 4 };

describeEachBackend(
  'bad input gives typed errors naming the function, the argument and the fix',
  () => {
    it('createPrefixEncoder refuses bad options and sizes', () => {
      const create =
        (options: unknown, sizes: unknown = SIZES) =>
        () =>
          createPrefixEncoder(sizes as never, options as never);
      expectInvalidArgument(create(undefined), 'createPrefixEncoder', 'options', [
        'numVirtualTokens',
      ]);
      expectInvalidArgument(create({}), 'createPrefixEncoder', 'options.numVirtualTokens');
      expectInvalidArgument(
        create({ numVirtualTokens: -1 }),
        'createPrefixEncoder',
        'options.numVirtualTokens',
        ['[0, 65536]'],
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2.5 }),
        'createPrefixEncoder',
        'options.numVirtualTokens',
        ['integer'],
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, prefix_projection: true }),
        'createPrefixEncoder',
        'options.prefix_projection',
        ['camelCase'],
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, prefixProjection: 'yes' }),
        'createPrefixEncoder',
        'options.prefixProjection',
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, encoderHiddenSize: 16 }),
        'createPrefixEncoder',
        'options.encoderHiddenSize',
        ['prefixProjection: true'],
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, prefixProjection: true, encoderHiddenSize: 0 }),
        'createPrefixEncoder',
        'options.encoderHiddenSize',
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, initializerRange: -1 }),
        'createPrefixEncoder',
        'options.initializerRange',
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, seed: 1.5 }),
        'createPrefixEncoder',
        'options.seed',
      );
      expectInvalidArgument(
        create({ numVirtualTokens: 2, random: {} }),
        'createPrefixEncoder',
        'options.random',
        ['createRng'],
      );
      expectInvalidArgument(create({ numVirtualTokens: 2 }, null), 'createPrefixEncoder', 'sizes', [
        'decoder.config',
      ]);
      expectInvalidArgument(
        create({ numVirtualTokens: 2 }, { numLayers: 2, numHeads: 2 }),
        'createPrefixEncoder',
        'sizes.headSize',
      );
    });

    it('refuses numKeyValueHeads that is not a positive divisor of numHeads, and misspelt size names', () => {
      const sizes = (extra: Record<string, unknown>) => ({
        numLayers: 2,
        numHeads: 6,
        headSize: 4,
        ...extra,
      });
      const create = (extra: Record<string, unknown>) => () =>
        createPrefixEncoder(sizes(extra) as never, { numVirtualTokens: 2 });
      for (const bad of [0, -2, 1.5, '3', 12]) {
        expectInvalidArgument(
          create({ numKeyValueHeads: bad }),
          'createPrefixEncoder',
          'sizes.numKeyValueHeads',
        );
      }
      expectInvalidArgument(
        create({ numKeyValueHeads: 4 }),
        'createPrefixEncoder',
        'sizes.numKeyValueHeads',
        ['a divisor of numHeads = 6', 'llamaDecoder.config'],
      );
      for (const [key, closest] of [
        ['num_key_value_heads', 'numKeyValueHeads'],
        ['numKvHeads', 'numKeyValueHeads'],
        ['numKeyValueHead', 'numKeyValueHeads'],
      ] as const) {
        expectInvalidArgument(create({ [key]: 2 }), 'createPrefixEncoder', `sizes.${key}`, [
          `did you mean '${closest}'?`,
        ]);
      }
      expectInvalidArgument(
        () =>
          createPrefixEncoder({ numLayer: 2, numHeads: 2, headSize: 4 } as never, {
            numVirtualTokens: 1,
          }),
        'createPrefixEncoder',
        'sizes.numLayer',
        ["did you mean 'numLayers'?"],
      );
      const encoder = createPrefixEncoder(SIZES, { numVirtualTokens: 0 });
      const checkpoint = exportPrefix(encoder);
      encoder.dispose();
      expectInvalidArgument(
        () => loadPrefix(checkpoint, sizes({ numKeyValueHeads: 5 })),
        'loadPrefix',
        'sizes.numKeyValueHeads',
      );
      const projected = tf.zeros([1, 1]);
      expectInvalidArgument(
        () => prefixKeyValuesFromProjection(projected, sizes({ num_kv_heads: 3 }) as never),
        'prefixKeyValuesFromProjection',
        'sizes.num_kv_heads',
        ["did you mean 'numKeyValueHeads'?"],
      );
      projected.dispose();
      // Every size 1…6 that divides 6 is accepted; the width follows numKeyValueHeads.
      for (const numKeyValueHeads of [1, 2, 3, 6]) {
        const prefix = createPrefixEncoder(sizes({ numKeyValueHeads }), { numVirtualTokens: 1 });
        expect(prefix.weights.embedding!.shape).toEqual([1, 2 * 2 * numKeyValueHeads * 4]);
        prefix.dispose();
      }
    });

    it('a disposed prefix and bad batch sizes are refused', () => {
      const prefix = createPrefixEncoder(SIZES, { numVirtualTokens: 2 });
      expectInvalidArgument(() => prefix.keyValues(0), 'PrefixEncoder.keyValues', 'batchSize');
      prefix.dispose();
      expectInvalidArgument(() => prefix.keyValues(), 'PrefixEncoder.keyValues', 'this', [
        'disposed prefix',
      ]);
      expectInvalidArgument(
        () => prefix.projectedPrefix(),
        'PrefixEncoder.projectedPrefix',
        'this',
      );
      const other = createPrefixEncoder(SIZES, { numVirtualTokens: 1 });
      const loaded = loadPrefix(exportPrefix(other), SIZES);
      other.dispose();
      loaded.dispose();
      expectInvalidArgument(() => loaded.keyValues(), 'LoadedPrefix.keyValues', 'this');
    });

    it('prefixKeyValuesFromProjection refuses a projection of the wrong width', () => {
      const projected = tf.zeros([2, 30]);
      expectInvalidArgument(
        () => prefixKeyValuesFromProjection(projected, SIZES),
        'prefixKeyValuesFromProjection',
        'projected',
        ['[P, 32]'],
        'shape',
      );
      const integers = tf.zeros([2, 32], 'int32');
      expectInvalidArgument(
        () => prefixKeyValuesFromProjection(integers, SIZES),
        'prefixKeyValuesFromProjection',
        'projected',
      );
      tf.dispose([projected, integers]);
    });

    it('applyWithPrefix and createPrefixTrainableModel refuse a prefix made for another model, and non-models', () => {
      const decoder = tinyDecoder(); // 2 layers, 2 heads, head size 4
      const wrong = createPrefixEncoder(
        { numLayers: 2, numHeads: 4, headSize: 2 },
        { numVirtualTokens: 2 },
      );
      const right = createPrefixEncoder(decoder.config, { numVirtualTokens: 2 });
      const inputIds = ids([[1, 2]]);
      expectInvalidArgument(
        () => applyWithPrefix(decoder, wrong, { inputIds }),
        'applyWithPrefix',
        'prefix',
        ["numHeads = 2 (the model's)", 'numHeads = 4'],
        'shape',
      );
      expectInvalidArgument(
        () => applyWithPrefix({} as never, right, { inputIds }),
        'applyWithPrefix',
        'model',
        ['PrefixableModel'],
      );
      expectInvalidArgument(
        () => applyWithPrefix(decoder, {} as never, { inputIds }),
        'applyWithPrefix',
        'prefix',
      );
      expectInvalidArgument(
        () => applyWithPrefix(decoder, right, { inputIds, prefixKeyValues: [] } as never),
        'applyWithPrefix',
        'inputs.prefixKeyValues',
      );
      expectInvalidArgument(
        () => createPrefixTrainableModel(decoder, wrong),
        'createPrefixTrainableModel',
        'prefix',
        [],
        'shape',
      );
      expectInvalidArgument(
        () => createPrefixTrainableModel(decoder, right, { extraInputs: 3 } as never),
        'createPrefixTrainableModel',
        'options.extraInputs',
      );
      const loaded = loadPrefix(exportPrefix(right), decoder.config);
      expectInvalidArgument(
        () => createPrefixTrainableModel(decoder, loaded as never),
        'createPrefixTrainableModel',
        'prefix',
        ['inference'],
      );
      const model = createPrefixTrainableModel(decoder, right);
      expectInvalidArgument(
        () => model.apply({ tensors: {}, batch: {} as never, training: true }),
        'PrefixTrainableModel.apply',
        'inputs.tensors.inputIds',
      );
      tf.dispose(inputIds);
      for (const disposable of [loaded, wrong, right, decoder]) disposable.dispose();
    });
  },
);
