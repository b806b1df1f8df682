import { readSafetensors, SafetensorsError, writeSafetensors } from '@lm-objectives/safetensors';
import { describeEachBackend, expectInvalidArgument, thrownBy } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { bitIdentical, ids, tinyDecoder, valuesOf } from '../../test/helpers';
import { createPrefixEncoder } from '../encoder/create-prefix-encoder';
import { applyWithPrefix } from '../integration/apply-with-prefix';
import { decodePrefixCheckpoint, encodePrefixCheckpoint } from './encode-prefix-checkpoint';
import { exportPrefix } from './export-prefix';
import { loadPrefix } from './load-prefix';
import { PREFIX_LAYOUT, type PrefixCheckpoint } from './prefix-checkpoint';

describeEachBackend('exporting and loading a prefix', () => {
  for (const prefixProjection of [false, true]) {
    it(`${prefixProjection ? 'with' : 'without'} the MLP: export → bytes → load gives bit-identical outputs`, () => {
      const decoder = tinyDecoder();
      const prefix = createPrefixEncoder(decoder.config, {
        numVirtualTokens: 3,
        prefixProjection,
        initializerRange: 1,
      });
      const checkpoint = exportPrefix(prefix);
      expect(checkpoint.metadata).toEqual({
        format: 'lm-objectives/prefix',
        formatVersion: 2,
        numVirtualTokens: 3,
        numLayers: 2,
        numHeads: 2,
        numKeyValueHeads: 2,
        headSize: 4,
        layout: PREFIX_LAYOUT,
        trainedWithProjection: prefixProjection,
      });
      // The projected prefix only: P · L · 2H values, the MLP's weights are not in it.
      expect(checkpoint.keyValues.length).toBe(3 * 2 * 2 * 8);
      const bytes = encodePrefixCheckpoint(checkpoint);
      expect(bytes.byteLength % 4).toBe(0);
      const decoded = decodePrefixCheckpoint(bytes);
      expect(decoded.metadata).toEqual(checkpoint.metadata);
      expect(bitIdentical(decoded.keyValues, checkpoint.keyValues)).toBe(true);

      const loaded = loadPrefix(decoded, decoder.config);
      expect(loaded.numVirtualTokens).toBe(3);
      const inputIds = ids([
        [3, 4, 5, 6],
        [7, 8, 9, 0],
      ]);
      const attentionMask = ids([
        [1, 1, 1, 1],
        [1, 1, 1, 0],
      ]);
      const trained = applyWithPrefix(decoder, prefix, { inputIds, attentionMask }).hiddenStates;
      const restored = applyWithPrefix(decoder, loaded, { inputIds, attentionMask }).hiddenStates;
      expect(bitIdentical(valuesOf(restored), valuesOf(trained))).toBe(true);
      // Re-exporting the loaded prefix gives the same checkpoint.
      expect(bitIdentical(exportPrefix(loaded).keyValues, checkpoint.keyValues)).toBe(true);
      tf.dispose([trained, restored, inputIds, attentionMask]);
      loaded.dispose();
      prefix.dispose();
      decoder.dispose();
    });
  }

  it('stores the values in [numLayers, 2, numHeads, P, headSize] order (hand-derived from the table)', () => {
    const sizes = { numLayers: 2, numHeads: 2, headSize: 3 }; // L·2H = 24
    const prefix = createPrefixEncoder(sizes, { numVirtualTokens: 2 });
    const table = tf.tensor2d(
      Float32Array.from({ length: 48 }, (_, index) => index),
      [2, 24],
    );
    prefix.weights.embedding!.assign(table);
    const { keyValues } = exportPrefix(prefix);
    let offset = 0;
    for (let layer = 0; layer < 2; layer++)
      for (let part = 0; part < 2; part++)
        for (let head = 0; head < 2; head++)
          for (let token = 0; token < 2; token++)
            for (let channel = 0; channel < 3; channel++) {
              expect(keyValues[offset++]).toBe(
                token * 24 + ((layer * 2 + part) * 2 + head) * 3 + channel,
              );
            }
    table.dispose();
    prefix.dispose();
  });

  it('refuses to load onto a model of other sizes, naming the size that differs', () => {
    const encoder = createPrefixEncoder(
      { numLayers: 2, numHeads: 2, headSize: 4 },
      { numVirtualTokens: 2 },
    );
    const checkpoint = exportPrefix(encoder);
    encoder.dispose();
    expectInvalidArgument(
      () => loadPrefix(checkpoint, { numLayers: 3, numHeads: 2, headSize: 4 }),
      'loadPrefix',
      'checkpoint.metadata.numLayers',
      ["numLayers = 3 (the model's)", 'numLayers = 2'],
      'shape',
    );
    expectInvalidArgument(
      () => loadPrefix(checkpoint, { numLayers: 2, numHeads: 4, headSize: 2 }),
      'loadPrefix',
      'checkpoint.metadata.numHeads',
      [],
      'shape',
    );
  });

  it('refuses malformed checkpoints and bytes with typed errors', () => {
    const encoder = createPrefixEncoder(
      { numLayers: 1, numHeads: 1, headSize: 2 },
      { numVirtualTokens: 1 },
    );
    const good = exportPrefix(encoder);
    encoder.dispose();
    const sizes = { numLayers: 1, numHeads: 1, headSize: 2 };
    const variant = (metadata: Record<string, unknown>, keyValues = good.keyValues) =>
      ({ metadata: { ...good.metadata, ...metadata }, keyValues }) as unknown as PrefixCheckpoint;
    expectInvalidArgument(
      () => loadPrefix(variant({ formatVersion: 1 }), sizes),
      'loadPrefix',
      'checkpoint.metadata.formatVersion',
      ['version 2'],
    );
    expectInvalidArgument(
      () => loadPrefix(variant({ format: 'lora' }), sizes),
      'loadPrefix',
      'checkpoint.metadata.format',
    );
    expectInvalidArgument(
      () => loadPrefix(variant({}, new Float32Array(3)), sizes),
      'loadPrefix',
      'checkpoint.keyValues',
      ['4 values'],
    );
    expectInvalidArgument(
      () => loadPrefix(variant({}, Float32Array.of(0, 0, Number.NaN, 0)), sizes),
      'loadPrefix',
      'checkpoint.keyValues[2]',
      ['finite values', 'allowNonFinite: true'],
    );
    const loaded = loadPrefix(variant({}, Float32Array.of(0, 0, Number.NaN, 0)), sizes, {
      allowNonFinite: true,
    });
    expect(Number.isNaN(exportPrefix(loaded).keyValues[2]!)).toBe(true);
    loaded.dispose();
    expectInvalidArgument(() => loadPrefix(null, sizes), 'loadPrefix', 'checkpoint');
    expectInvalidArgument(() => exportPrefix({} as never), 'exportPrefix', 'prefix');
  });
});

describeEachBackend('prefix checkpoint files', () => {
  const sizes = { numLayers: 2, numHeads: 2, headSize: 3 };
  const exported = () => {
    const encoder = createPrefixEncoder(sizes, { numVirtualTokens: 2, initializerRange: 1 });
    const checkpoint = exportPrefix(encoder);
    encoder.dispose();
    return checkpoint;
  };

  it('writes one F32 tensor [L, 2, heads, P, d], the sizes and a checksum in __metadata__', () => {
    const checkpoint = exported();
    const file = readSafetensors(encodePrefixCheckpoint(checkpoint), { requireChecksum: true });
    const tensor = file.tensors.get('key_values')!;
    expect([...file.tensors.keys()]).toEqual(['key_values']);
    expect([tensor.dtype, tensor.shape]).toEqual(['F32', [2, 2, 2, 2, 3]]);
    expect(bitIdentical(tensor.data as Float32Array, checkpoint.keyValues)).toBe(true);
    const { content_crc32: checksum, ...metadata } = file.metadata;
    expect(checksum).toMatch(/^[0-9a-f]{8}$/);
    expect(metadata).toEqual({
      format: 'lm-objectives/prefix',
      formatVersion: '2',
      layout: PREFIX_LAYOUT,
      trainedWithProjection: 'false',
      numVirtualTokens: '2',
      numLayers: '2',
      numHeads: '2',
      numKeyValueHeads: '2',
      headSize: '3',
    });
  });

  it('detects every flipped bit of the values, a truncated file and an edited size, naming the key', () => {
    const bytes = encodePrefixCheckpoint(exported());
    const dataStart = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    for (let at = dataStart; at < bytes.length; at++) {
      const corrupt = bytes.slice();
      corrupt[at]! ^= 1 << (at % 8);
      const error = thrownBy(() => decodePrefixCheckpoint(corrupt)) as SafetensorsError;
      expect(SafetensorsError.isInstance(error), `byte ${at}`).toBe(true);
      expect([error.code, error.key, error.functionName]).toEqual([
        'checksum-mismatch',
        '__metadata__.content_crc32',
        'decodePrefixCheckpoint',
      ]);
    }
    const truncated = thrownBy(() => decodePrefixCheckpoint(bytes.subarray(0, bytes.length - 4)));
    expect((truncated as SafetensorsError).code).toBe('truncated');
    const at = new TextDecoder().decode(bytes).indexOf('"numHeads":"2"') + '"numHeads":"'.length;
    const edited = bytes.slice();
    edited[at] = '1'.charCodeAt(0);
    expect((thrownBy(() => decodePrefixCheckpoint(edited)) as SafetensorsError).code).toBe(
      'checksum-mismatch',
    );
  });

  it('refuses the pre-release LMPX format with the way to convert it, and files of another kind', () => {
    const legacy = new Uint8Array(32);
    legacy.set(new TextEncoder().encode('LMPX'), 0);
    expectInvalidArgument(() => decodePrefixCheckpoint(legacy), 'decodePrefixCheckpoint', 'bytes', [
      "starting with 'LMPX'",
      'encodePrefixCheckpoint(exportPrefix(',
    ]);
    const other = writeSafetensors(
      { key_values: { shape: [1], data: Float32Array.of(1) } },
      { format: 'pt' },
    );
    const error = thrownBy(() => decodePrefixCheckpoint(other)) as SafetensorsError;
    expect([error.code, error.key, error.functionName]).toEqual([
      'unexpected-format',
      '__metadata__.format',
      'decodePrefixCheckpoint',
    ]);
  });

  it('reads a file written before numKeyValueHeads was recorded as numKeyValueHeads = numHeads', () => {
    const checkpoint = exported();
    const { numKeyValueHeads: _recorded, ...older } = Object.fromEntries(
      Object.entries(checkpoint.metadata).map(([name, value]) => [name, String(value)]),
    );
    const olderLayout = '[numLayers, 2 (key, value), numHeads, numVirtualTokens, headSize]';
    const bytes = writeSafetensors(
      { key_values: { shape: [2, 2, 2, 2, 3], data: checkpoint.keyValues } },
      { ...older, layout: olderLayout },
      { checksum: true },
    );
    const decoded = decodePrefixCheckpoint(bytes);
    expect(decoded.metadata).toEqual(checkpoint.metadata);
    expect(bitIdentical(decoded.keyValues, checkpoint.keyValues)).toBe(true);
    // The older layout string with a numKeyValueHeads that differs from numHeads is not a file we wrote.
    expectInvalidArgument(
      () =>
        loadPrefix(
          {
            metadata: { ...checkpoint.metadata, numKeyValueHeads: 1, layout: olderLayout },
            keyValues: checkpoint.keyValues.subarray(0, 12),
          },
          sizes,
        ),
      'loadPrefix',
      'checkpoint.metadata.layout',
    );
    expectInvalidArgument(
      () =>
        loadPrefix(
          {
            metadata: { ...checkpoint.metadata, numKeyValueHeads: 3 },
            keyValues: checkpoint.keyValues,
          },
          sizes,
        ),
      'loadPrefix',
      'checkpoint.metadata.numKeyValueHeads',
      ['a divisor of numHeads = 2'],
    );
  });

  it("suggests the closest option name for a misspelt one ('allow_non_finite' → 'allowNonFinite')", () => {
    const checkpoint = exported();
    expectInvalidArgument(
      () => loadPrefix(checkpoint, sizes, { allow_non_finite: true } as never),
      'loadPrefix',
      'options.allow_non_finite',
      ["'allowNonFinite'"],
    );
    expectInvalidArgument(
      () => createPrefixEncoder(sizes, { numVirtualTokens: 2, prefix_projection: true } as never),
      'createPrefixEncoder',
      'options.prefix_projection',
      ["'prefixProjection'"],
    );
  });
});
