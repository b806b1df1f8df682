import { prefixLmAttentionBias } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { ids, maxDifferenceAt, tinyGlm } from '../../test/tiny-models';

// The worked example of the GLM reference: Part A `[CLS] x1 x2 [M] x4 [M]`, Part B `[S] x5 x6 [S] x3`.
const EXAMPLE = {
  inputIds: [1, 11, 12, 2, 14, 2, 3, 15, 16, 3, 13].map((id) => id % 17),
  positionIds: [0, 1, 2, 3, 4, 5, 5, 5, 5, 3, 3],
  blockPositionIds: [0, 0, 0, 0, 0, 0, 1, 2, 3, 1, 2],
  separator: 6,
};

describeEachBackend('createGlmEncoder', () => {
  it('takes the worked example (2-D positions, sep = 6) and returns [B, L, H] with the tied projection', () => {
    const glm = tinyGlm();
    const outputs = tf.tidy(() =>
      glm.apply({
        inputIds: ids([EXAMPLE.inputIds]),
        positionIds: ids([EXAMPLE.positionIds]),
        blockPositionIds: ids([EXAMPLE.blockPositionIds]),
        attentionBias: prefixLmAttentionBias([EXAMPLE.separator], 11),
      }),
    );
    expect(outputs.hiddenStates.shape).toEqual([1, 11, 16]);
    expect(outputs.projection.weight).toBe(glm.tokenEmbeddings);
    expect(glm.weights['embeddings.blockPosition']!.shape).toEqual([16, 16]);
    expect(glm.weights['finalLayerNorm.gamma']).toBeDefined();
    expect(glm.weights['embeddings.layerNorm.gamma']).toBeUndefined();
    outputs.hiddenStates.dispose();
    glm.dispose();
  });

  it('reads both position tables: changing either position row changes the output', () => {
    const glm = tinyGlm({ seed: 6 });
    const run = (positionIds: number[], blockPositionIds: number[]) =>
      tf.tidy(
        () =>
          glm.apply({
            inputIds: ids([[1, 2, 3, 4]]),
            positionIds: ids([positionIds]),
            blockPositionIds: ids([blockPositionIds]),
          }).hiddenStates,
      );
    const base = run([0, 1, 2, 2], [0, 0, 1, 2]);
    const otherPosition = run([0, 1, 2, 1], [0, 0, 1, 2]);
    const otherBlock = run([0, 1, 2, 2], [0, 0, 1, 3]);
    expect(maxDifferenceAt(base, otherPosition, 3, 4)).toBeGreaterThan(1e-3);
    expect(maxDifferenceAt(base, otherBlock, 3, 4)).toBeGreaterThan(1e-3);
    tf.dispose([base, otherPosition, otherBlock]);
    glm.dispose();
  });

  it('accepts a per-sample bias: each row follows its own separator', () => {
    const glm = tinyGlm({ seed: 7 });
    const rows = [
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
    ];
    const run = (changedRow: number[]) =>
      tf.tidy(
        () =>
          glm.apply({
            inputIds: ids([rows[0]!, changedRow]),
            positionIds: ids([
              [0, 1, 2, 3, 4],
              [0, 1, 2, 3, 4],
            ]),
            blockPositionIds: ids([
              [0, 0, 0, 0, 0],
              [0, 0, 0, 0, 0],
            ]),
            attentionBias: prefixLmAttentionBias([5, 2], 5),
          }).hiddenStates,
      );
    const base = run(rows[1]!);
    const changed = run([1, 2, 3, 9, 5]);
    // Row 1 has sep = 2: positions 0-2 never see position 3.
    expect(maxDifferenceAt(base, changed, 0, 3, 1)).toBeLessThanOrEqual(1e-6);
    expect(maxDifferenceAt(base, changed, 3, 4, 1)).toBeGreaterThan(1e-3);
    tf.dispose([base, changed]);
    glm.dispose();
  });
});
