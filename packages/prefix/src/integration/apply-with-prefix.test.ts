import { createBertEncoder, splitPrefixKeyValues } from '@lm-objectives/models';
import { describeEachBackend, expectRelativelyClose } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { bitIdentical, ids, maxDifference, tinyDecoder, valuesOf } from '../../test/helpers';
import { createPrefixEncoder } from '../encoder/create-prefix-encoder';
import { applyWithPrefix } from './apply-with-prefix';

const CHANGED = 1e-3; // a difference this large means the output really changed

describeEachBackend('a prefixed causal decoder (masks, positions, lengths)', () => {
  it('a zero-length prefix gives the base model’s hidden states bit for bit (padded batch, with and without the MLP)', () => {
    const decoder = tinyDecoder();
    const inputIds = ids([
      [3, 4, 5, 6],
      [7, 8, 0, 0],
    ]);
    const attentionMask = ids([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
    const base = decoder.apply({ inputIds, attentionMask }).hiddenStates;
    for (const prefixProjection of [false, true]) {
      const prefix = createPrefixEncoder(decoder.config, { numVirtualTokens: 0, prefixProjection });
      const prefixed = applyWithPrefix(decoder, prefix, { inputIds, attentionMask }).hiddenStates;
      expect(bitIdentical(valuesOf(prefixed), valuesOf(base))).toBe(true);
      prefixed.dispose();
      prefix.dispose();
    }
    tf.dispose([base, inputIds, attentionMask]);
    decoder.dispose();
  });

  it('prefixes act only through attention: with every attention output projection zeroed, any prefix changes nothing', () => {
    const decoder = tinyDecoder();
    const inputIds = ids([[3, 4, 5, 6, 7]]);
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 3,
      initializerRange: 2,
    });
    // Sanity: with the model as it is, the prefix does change the outputs.
    const base = decoder.apply({ inputIds }).hiddenStates;
    const prefixed = applyWithPrefix(decoder, prefix, { inputIds }).hiddenStates;
    expect(maxDifference(base, prefixed)).toBeGreaterThan(CHANGED);
    // Zero the attention output projections: attention (and so the prefix) contributes nothing;
    // the embeddings, positions and feed-forward path are untouched by the prefix.
    const weights = decoder.getWeights();
    for (const [name, entry] of Object.entries(weights)) {
      if (/attention\.output\.(kernel|bias)$/.test(name)) entry.data.fill(0);
    }
    decoder.setWeights(weights);
    const silentBase = decoder.apply({ inputIds }).hiddenStates;
    const silentPrefixed = applyWithPrefix(decoder, prefix, { inputIds }).hiddenStates;
    expect(bitIdentical(valuesOf(silentPrefixed), valuesOf(silentBase))).toBe(true);
    tf.dispose([base, prefixed, silentBase, silentPrefixed, inputIds]);
    prefix.dispose();
    decoder.dispose();
  });

  it('the real tokens keep positions 0…L−1: explicit positionIds 0…L−1 give the same outputs, shifted ones do not', () => {
    const decoder = tinyDecoder();
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 4,
      initializerRange: 1,
    });
    const inputIds = ids([[3, 4, 5]]);
    const implicit = applyWithPrefix(decoder, prefix, { inputIds }).hiddenStates;
    const explicit = ids([[0, 1, 2]]);
    const shifted = ids([[4, 5, 6]]); // what a model that counted the prefix as tokens would use
    const withExplicit = applyWithPrefix(decoder, prefix, {
      inputIds,
      positionIds: explicit,
    }).hiddenStates;
    const withShifted = applyWithPrefix(decoder, prefix, {
      inputIds,
      positionIds: shifted,
    }).hiddenStates;
    expect(bitIdentical(valuesOf(withExplicit), valuesOf(implicit))).toBe(true);
    expect(maxDifference(withShifted, implicit)).toBeGreaterThan(CHANGED);
    tf.dispose([implicit, explicit, shifted, withExplicit, withShifted, inputIds]);
    prefix.dispose();
    decoder.dispose();
  });

  for (const [length, virtualTokens] of [
    [2, 5],
    [6, 2],
  ] as const) {
    it(`query length ${length} ≠ key length ${virtualTokens} + ${length}: outputs keep length ${length}, keys start with the prefix`, () => {
      const decoder = tinyDecoder();
      const prefix = createPrefixEncoder(decoder.config, {
        numVirtualTokens: virtualTokens,
        initializerRange: 1,
      });
      const inputIds = ids([
        Array.from({ length }, (_, index) => 2 + index),
        Array.from({ length }, (_, index) => 12 - index),
      ]);
      const outputs = tf.tidy(() =>
        decoder.apply({ inputIds, prefixKeyValues: prefix.keyValues() }, { returnKeyValues: true }),
      );
      expect(outputs.hiddenStates.shape).toEqual([2, length, 8]);
      const expectedPrefix = prefix.keyValues();
      outputs.keyValues!.forEach(({ key, value }, layer) => {
        expect(key.shape).toEqual([2, 2, virtualTokens + length, 4]);
        for (const [part, expected] of [
          [key, expectedPrefix[layer]!.key],
          [value, expectedPrefix[layer]!.value],
        ] as const) {
          for (const row of [0, 1]) {
            const leading = tf.slice(part, [row, 0, 0, 0], [1, 2, virtualTokens, 4]);
            expect(Array.from(leading.dataSync())).toEqual(Array.from(expected.dataSync()));
            leading.dispose();
          }
        }
      });
      tf.dispose([
        outputs.hiddenStates,
        ...outputs.keyValues!.flatMap(({ key, value }) => [key, value]),
        ...expectedPrefix.flatMap(({ key, value }) => [key, value]),
        inputIds,
      ]);
      prefix.dispose();
      decoder.dispose();
    });
  }

  it('in a padded batch, a short row’s real positions equal the same row run alone; padding never leaks in', () => {
    const decoder = tinyDecoder();
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 3,
      prefixProjection: true,
      initializerRange: 1,
    });
    const alone = ids([[3, 4, 5]]);
    const padded = ids([
      [9, 8, 7, 6, 5],
      [3, 4, 5, 0, 0],
    ]);
    const otherPadding = ids([
      [9, 8, 7, 6, 5],
      [3, 4, 5, 11, 12],
    ]);
    const attentionMask = ids([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);
    const single = applyWithPrefix(decoder, prefix, { inputIds: alone }).hiddenStates;
    const batched = applyWithPrefix(decoder, prefix, {
      inputIds: padded,
      attentionMask,
    }).hiddenStates;
    const repadded = applyWithPrefix(decoder, prefix, {
      inputIds: otherPadding,
      attentionMask,
    }).hiddenStates;
    const realPart = (hidden: tf.Tensor) =>
      tf.tidy(() => tf.slice(hidden, [1, 0, 0], [1, 3, 8]).dataSync());
    expectRelativelyClose(
      realPart(batched),
      single.dataSync(),
      1e-6,
      'short row in a padded batch',
    );
    expect(
      bitIdentical(Float32Array.from(realPart(repadded)), Float32Array.from(realPart(batched))),
    ).toBe(true);
    tf.dispose([single, batched, repadded, alone, padded, otherPadding, attentionMask]);
    prefix.dispose();
    decoder.dispose();
  });

  it('the causal mask still hides later real tokens, while the prefix is visible even from position 0', () => {
    const decoder = tinyDecoder();
    const prefix = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 2,
      initializerRange: 1,
    });
    const other = createPrefixEncoder(decoder.config, {
      numVirtualTokens: 2,
      initializerRange: 1,
      seed: 5,
    });
    const first = ids([[3, 4, 5, 6]]);
    const laterChanged = ids([[3, 4, 5, 11]]);
    const a = applyWithPrefix(decoder, prefix, { inputIds: first }).hiddenStates;
    const b = applyWithPrefix(decoder, prefix, { inputIds: laterChanged }).hiddenStates;
    const c = applyWithPrefix(decoder, other, { inputIds: first }).hiddenStates;
    const positions = (hidden: tf.Tensor, start: number, size: number) =>
      tf.slice(hidden, [0, start, 0], [1, size, 8]);
    tf.tidy(() => {
      expect(bitIdentical(valuesOf(positions(a, 0, 3)), valuesOf(positions(b, 0, 3)))).toBe(true);
      expect(maxDifference(positions(a, 3, 1), positions(b, 3, 1))).toBeGreaterThan(CHANGED);
      expect(maxDifference(positions(a, 0, 1), positions(c, 0, 1))).toBeGreaterThan(CHANGED);
    });
    tf.dispose([a, b, c, first, laterChanged]);
    prefix.dispose();
    other.dispose();
    decoder.dispose();
  });

  it('the per-layer keys and values are models’ splitPrefixKeyValues of the reference layout [L, 2, B, heads, P, d]', () => {
    const prefix = createPrefixEncoder(
      { numLayers: 3, numHeads: 2, headSize: 4 },
      { numVirtualTokens: 5, prefixProjection: true },
    );
    const ours = prefix.keyValues(2);
    const stacked = prefix.stackedKeyValues(); // [L, 2, heads, P, d]
    const reference = tf.tidy(() => tf.broadcastTo(tf.expandDims(stacked, 2), [3, 2, 2, 2, 5, 4]));
    const theirs = splitPrefixKeyValues(reference);
    ours.forEach(({ key, value }, layer) => {
      expect(bitIdentical(valuesOf(key), valuesOf(theirs[layer]!.key))).toBe(true);
      expect(bitIdentical(valuesOf(value), valuesOf(theirs[layer]!.value))).toBe(true);
    });
    tf.dispose([
      stacked,
      reference,
      ...[...ours, ...theirs].flatMap(({ key, value }) => [key, value]),
    ]);
    prefix.dispose();
  });

  it('the BERT encoder of @lm-objectives/models offers the same hook (P = 0 is the base; a prefix changes it)', () => {
    const encoder = createBertEncoder({
      vocabularySize: 13,
      hiddenSize: 8,
      numLayers: 2,
      numHeads: 2,
      seed: 2,
    });
    const inputIds = ids([[3, 4, 5]]);
    const base = encoder.apply({ inputIds }).hiddenStates;
    const empty = createPrefixEncoder(encoder.config, { numVirtualTokens: 0 });
    const prefix = createPrefixEncoder(encoder.config, {
      numVirtualTokens: 2,
      initializerRange: 1,
    });
    const same = applyWithPrefix(encoder, empty, { inputIds }).hiddenStates;
    const changed = applyWithPrefix(encoder, prefix, { inputIds }).hiddenStates;
    expect(bitIdentical(valuesOf(same), valuesOf(base))).toBe(true);
    expect(maxDifference(changed, base)).toBeGreaterThan(CHANGED);
    tf.dispose([base, same, changed, inputIds]);
    empty.dispose();
    prefix.dispose();
    encoder.dispose();
  });
});
