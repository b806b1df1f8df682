import { prefixLmAttentionBias } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ids,
  maxDifferenceAt,
  normalTensor,
  positions,
  tinyBert,
  tinyDecoder,
  tinyGlm,
} from '../../test/tiny-models';
import type { LayerKeyValues } from '../layers/multi-head-attention';

// A forbidden key contributes exp(-1e9 - max) = 0 exactly in float32, so outputs at the querying
// positions must not move at all; a visible change is at least 1e-3 with these random weights.
const UNCHANGED = 1e-6;
const CHANGED = 1e-3;

const BASE = [3, 5, 7, 9, 11, 13];
const withTokenAt = (row: number[], index: number, token: number) =>
  row.map((value, position) => (position === index ? token : value));

describeEachBackend('the causal decoder never lets a token see later tokens', () => {
  let decoder: ReturnType<typeof tinyDecoder>;
  beforeAll(() => {
    decoder = tinyDecoder({ seed: 1 });
  });
  afterAll(() => decoder.dispose());

  it('changing token 4 leaves positions 0-3 unchanged and changes positions 4 and 5', () => {
    const [before, after] = [BASE, withTokenAt(BASE, 4, 1)].map((row) =>
      tf.tidy(() => decoder.apply({ inputIds: ids([row]) }).hiddenStates),
    ) as [tf.Tensor, tf.Tensor];
    expect(maxDifferenceAt(before, after, 0, 4)).toBeLessThanOrEqual(UNCHANGED);
    expect(maxDifferenceAt(before, after, 4, 5)).toBeGreaterThan(CHANGED);
    expect(maxDifferenceAt(before, after, 5, 6)).toBeGreaterThan(CHANGED);
    tf.dispose([before, after]);
  });

  it('an extra attention bias (separate packed examples) is honoured on top of the causal mask', () => {
    // Two packed examples: positions 0-2 and 3-5; the second must not see the first.
    const allowed = [0, 1, 2, 3, 4, 5].map((query) =>
      [0, 1, 2, 3, 4, 5].map((key) => (key <= query && key < 3 === query < 3 ? 0 : -1e9)),
    );
    const [before, after] = [BASE, withTokenAt(BASE, 1, 2)].map((row) =>
      tf.tidy(
        () =>
          decoder.apply({
            inputIds: ids([row]),
            attentionBias: tf.tensor4d(allowed.flat(), [1, 1, 6, 6]),
          }).hiddenStates,
      ),
    ) as [tf.Tensor, tf.Tensor];
    expect(maxDifferenceAt(before, after, 3, 6)).toBeLessThanOrEqual(UNCHANGED);
    expect(maxDifferenceAt(before, after, 1, 3)).toBeGreaterThan(CHANGED);
    tf.dispose([before, after]);
  });
});

describeEachBackend('the GLM encoder honours the prefix-LM mask (j < sep or j ≤ i)', () => {
  let glm: ReturnType<typeof tinyGlm>;
  beforeAll(() => {
    glm = tinyGlm({ seed: 2 });
  });
  afterAll(() => glm.dispose());
  const run = (row: number[]) =>
    tf.tidy(
      () =>
        glm.apply({
          inputIds: ids([row]),
          positionIds: ids([[0, 1, 2, 2, 2, 2]]),
          blockPositionIds: ids([[0, 0, 0, 1, 2, 3]]),
          attentionBias: prefixLmAttentionBias([3], 6),
        }).hiddenStates,
    );

  it('Part A (positions 0-2) and earlier Part B positions never see a later Part B token', () => {
    const before = run(BASE);
    const after = run(withTokenAt(BASE, 4, 1));
    expect(maxDifferenceAt(before, after, 0, 4)).toBeLessThanOrEqual(UNCHANGED);
    expect(maxDifferenceAt(before, after, 4, 6)).toBeGreaterThan(CHANGED);
    tf.dispose([before, after]);
  });

  it('Part A is bidirectional: its first token sees its last, and so does all of Part B', () => {
    const before = run(BASE);
    const after = run(withTokenAt(BASE, 2, 1));
    expect(maxDifferenceAt(before, after, 0, 1)).toBeGreaterThan(CHANGED);
    expect(maxDifferenceAt(before, after, 3, 6)).toBeGreaterThan(CHANGED);
    tf.dispose([before, after]);
  });
});

describeEachBackend('the BERT encoder never lets a token see padding', () => {
  let bert: ReturnType<typeof tinyBert>;
  beforeAll(() => {
    bert = tinyBert({ seed: 3 });
  });
  afterAll(() => bert.dispose());

  it('changing the padded tokens of one row leaves its real tokens and the other row unchanged', () => {
    const mask = () => ids([BASE.map(() => 1), [1, 1, 1, 1, 0, 0]]);
    const run = (second: number[]) =>
      tf.tidy(
        () => bert.apply({ inputIds: ids([BASE, second]), attentionMask: mask() }).hiddenStates,
      );
    const before = run(BASE);
    const after = run([3, 5, 7, 9, 2, 2]);
    expect(maxDifferenceAt(before, after, 0, 4, 1)).toBeLessThanOrEqual(UNCHANGED);
    expect(maxDifferenceAt(before, after, 0, 6, 0)).toBeLessThanOrEqual(UNCHANGED);
    tf.dispose([before, after]);
  });

  it('without the mask the same change reaches every position (the test can fail)', () => {
    const run = (second: number[]) =>
      tf.tidy(() => bert.apply({ inputIds: ids([second]) }).hiddenStates);
    const before = run(BASE);
    const after = run([3, 5, 7, 9, 2, 2]);
    expect(maxDifferenceAt(before, after, 0, 1)).toBeGreaterThan(CHANGED);
    tf.dispose([before, after]);
  });
});

describeEachBackend('prefix keys and values are visible to every query', () => {
  const prefixOf = (scale: number, numLayers = 2): LayerKeyValues[] =>
    Array.from({ length: numLayers }, (_, layer) => ({
      key: normalTensor([1, 4, 3, 4], 10 + layer, scale),
      value: normalTensor([1, 4, 3, 4], 20 + layer, scale),
    }));

  describe('in the causal decoder', () => {
    let decoder: ReturnType<typeof tinyDecoder>;
    beforeAll(() => {
      decoder = tinyDecoder({ seed: 4 });
    });
    afterAll(() => decoder.dispose());

    it('changing the prefix changes even the first position, which sees no other real token', () => {
      const run = (scale: number) =>
        tf.tidy(
          () =>
            decoder.apply({ inputIds: ids([BASE]), prefixKeyValues: prefixOf(scale) }).hiddenStates,
        );
      const [a, b] = [run(1), run(2)] as [tf.Tensor, tf.Tensor];
      expect(a.shape).toEqual([1, 6, 16]);
      for (let position = 0; position < 6; position++) {
        expect(maxDifferenceAt(a, b, position, position + 1)).toBeGreaterThan(CHANGED);
      }
      tf.dispose([a, b]);
    });

    it('the causal mask still hides later real tokens when a prefix is present', () => {
      const run = (row: number[]) =>
        tf.tidy(
          () => decoder.apply({ inputIds: ids([row]), prefixKeyValues: prefixOf(1) }).hiddenStates,
        );
      const before = run(BASE);
      const after = run(withTokenAt(BASE, 3, 1));
      expect(maxDifferenceAt(before, after, 0, 3)).toBeLessThanOrEqual(UNCHANGED);
      expect(maxDifferenceAt(before, after, 3, 4)).toBeGreaterThan(CHANGED);
      tf.dispose([before, after]);
    });
  });

  it('in the GLM encoder, Part A queries see the prefix but still not Part B', () => {
    const glm = tinyGlm({ seed: 5 });
    const run = (row: number[], scale: number) =>
      tf.tidy(
        () =>
          glm.apply({
            inputIds: ids([row]),
            positionIds: positions(1, 6),
            blockPositionIds: ids([[0, 0, 0, 0, 1, 2]]),
            attentionBias: prefixLmAttentionBias([4], 6),
            prefixKeyValues: prefixOf(scale),
          }).hiddenStates,
      );
    const base = run(BASE, 1);
    const otherPrefix = run(BASE, 2);
    const otherPartB = run(withTokenAt(BASE, 5, 1), 1);
    expect(maxDifferenceAt(base, otherPrefix, 0, 1)).toBeGreaterThan(CHANGED);
    expect(maxDifferenceAt(base, otherPartB, 0, 5)).toBeLessThanOrEqual(UNCHANGED);
    tf.dispose([base, otherPrefix, otherPartB]);
    glm.dispose();
  });
});
