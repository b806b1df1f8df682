import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ids,
  normalTensor,
  positions,
  tinyBert,
  tinyDecoder,
  tinyGlm,
} from '../../test/tiny-models';
import { splitPrefixKeyValues } from '../prefix/split-prefix-key-values';
import { createBertEncoder } from './create-bert-encoder';
import { createCausalDecoder } from './create-causal-decoder';
import { createGlmEncoder } from './create-glm-encoder';

/** Runs `call` inside a tidy (so tensors made for it are freed) and returns what it threw. */
function thrown(call: () => unknown): Error {
  try {
    tf.tidy(() => {
      call();
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw');
}

it('configurations are validated with typed errors naming the factory and the option', () => {
  expect(() => createCausalDecoder({} as never)).toThrow(
    /createCausalDecoder: argument 'config\.vocabularySize' is invalid\. Expected a value for the required option vocabularySize; received undefined/,
  );
  expect(() => createBertEncoder({ vocabularySize: 10, hiddenSize: 30, numHeads: 4 })).toThrow(
    /argument 'config\.numHeads' is invalid\. Expected a divisor of hiddenSize 30; received 4/,
  );
  expect(() => createGlmEncoder({ vocabularySize: 10, hiddenDropout: 1 })).toThrow(
    InvalidArgumentError,
  );
  expect(() => createGlmEncoder({ vocabularySize: 10, normalization: 'middle' as never })).toThrow(
    /'post' or 'pre'/,
  );
  expect(() => createBertEncoder({ vocabularySize: 10, pooler: 'yes' as never })).toThrow(
    /argument 'config\.pooler' is invalid\. Expected true or false/,
  );
  expect(() => createCausalDecoder({ vocabularySize: 10, hiddenSise: 8 } as never)).toThrow(
    /argument 'config\.hiddenSise' is invalid\. Expected one of the known options /,
  );
  expect(() => createCausalDecoder({ vocabularySize: 10, seed: -1 })).toThrow(/config\.seed/);
});

describeEachBackend('bad inputs are refused with typed errors', () => {
  let decoder: ReturnType<typeof tinyDecoder>;
  let bert: ReturnType<typeof tinyBert>;
  let glm: ReturnType<typeof tinyGlm>;
  beforeAll(() => {
    decoder = tinyDecoder();
    bert = tinyBert();
    glm = tinyGlm();
  });
  afterAll(() => {
    for (const model of [decoder, bert, glm]) model.dispose();
  });

  it('token ids must be an int32 [B, L] tensor of ids below V', () => {
    const float = thrown(() => decoder.apply({ inputIds: tf.tensor2d([[1, 2]]) }));
    expect(float).toBeInstanceOf(InvalidArgumentError);
    expect(float.message).toMatch(
      /^CausalDecoder\.apply: argument 'inputs\.inputIds' is invalid\. Expected an int32 tensor of shape \[batch, sequence\]; received a float32 tensor of shape \[1, 2\]\. Fix: /,
    );
    expect(thrown(() => decoder.apply({ inputIds: tf.tensor1d([1, 2], 'int32') }))).toBeInstanceOf(
      ShapeMismatchError,
    );
    expect(thrown(() => decoder.apply({ inputIds: ids([[1, 17]]) })).message).toMatch(
      /argument 'inputs\.inputIds \(flat index 1\)' is invalid\. Expected token ids in \[0, 17\); received 17/,
    );
    expect(thrown(() => decoder.apply(undefined as never))).toBeInstanceOf(InvalidArgumentError);
    expect(
      thrown(() => decoder.apply({ inputIds: ids([[1]]), labels: ids([[1]]) } as never)).message,
    ).toMatch(/argument 'inputs\.labels' is invalid\. Expected one of the known options /);
  });

  it('sequences longer than maxPositions and out-of-range positions are refused', () => {
    const long = ids([Array.from({ length: 17 }, () => 1)]);
    expect(thrown(() => decoder.apply({ inputIds: long })).message).toMatch(
      /Expected sequences of at most config\.maxPositions = 16 tokens; received an int32 tensor of shape \[1, 17\]/,
    );
    long.dispose();
    expect(
      thrown(() => decoder.apply({ inputIds: ids([[1, 2]]), positionIds: ids([[0, 16]]) })).message,
    ).toMatch(
      /inputs\.positionIds \(flat index 1\)' is invalid\. Expected position ids in \[0, 16\)/,
    );
    expect(
      thrown(() => decoder.apply({ inputIds: ids([[1, 2]]), positionIds: ids([[0, 1, 2]]) })),
    ).toBeInstanceOf(ShapeMismatchError);
  });

  it('masks and biases must fit the batch', () => {
    expect(
      thrown(() => bert.apply({ inputIds: ids([[1, 2, 3]]), attentionMask: ids([[1, 1]]) })),
    ).toBeInstanceOf(ShapeMismatchError);
    const badBias = thrown(() =>
      bert.apply({ inputIds: ids([[1, 2, 3]]), attentionBias: tf.zeros([1, 1, 3, 4]) }),
    );
    expect(badBias).toBeInstanceOf(ShapeMismatchError);
    expect(badBias.message).toMatch(/argument 'inputs\.attentionBias' has the wrong shape/);
    expect(
      thrown(() =>
        bert.apply({ inputIds: ids([[1, 2, 3]]), attentionBias: tf.zeros([2, 1, 3, 3]) }),
      ),
    ).toBeInstanceOf(ShapeMismatchError);
    expect(
      thrown(() => bert.apply({ inputIds: ids([[1, 2]]), tokenTypeIds: ids([[0, 2]]) })).message,
    ).toMatch(
      /inputs\.tokenTypeIds \(flat index 1\)' is invalid\. Expected token type ids in \[0, 2\)/,
    );
  });

  it('the GLM encoder requires both position rows', () => {
    expect(
      thrown(() => glm.apply({ inputIds: ids([[1, 2]]), blockPositionIds: ids([[0, 0]]) } as never))
        .message,
    ).toMatch(
      /GlmEncoder\.apply: argument 'inputs\.positionIds' is invalid\. Expected an int32 tensor of shape \[batch=1, sequence=\d+\]; received undefined/,
    );
    expect(
      thrown(() => glm.apply({ inputIds: ids([[1, 2]]), positionIds: positions(1, 2) } as never))
        .message,
    ).toMatch(/argument 'inputs\.blockPositionIds' is invalid/);
  });

  it('prefix keys and values need one entry per layer with the model’s heads and head size', () => {
    const entry = (heads: number, length: number) => ({
      key: normalTensor([1, heads, length, 4], 1),
      value: normalTensor([1, heads, length, 4], 2),
    });
    const run = (prefixKeyValues: () => unknown) =>
      thrown(() =>
        decoder.apply({ inputIds: ids([[1, 2]]), prefixKeyValues: prefixKeyValues() as never }),
      );
    expect(run(() => [entry(4, 2)]).message).toMatch(
      /Expected an array of 2 \{ key, value \} entries/,
    );
    expect(run(() => [entry(4, 2), entry(2, 2)])).toBeInstanceOf(ShapeMismatchError);
    expect(run(() => [entry(4, 2), entry(4, 3)]).message).toMatch(
      /inputs\.prefixKeyValues\[1\]\.key' has the wrong shape\. Expected a float32 tensor of shape \[rows=\d, 4, prefix=2, 4\]/,
    );
    expect(
      run(() => [
        { key: normalTensor([3, 4, 2, 4], 1), value: normalTensor([3, 4, 2, 4], 1) },
        entry(4, 2),
      ]).message,
    ).toMatch(/Expected a batch axis of 1 \(the inputs' batch\) or 1/);
    expect(thrown(() => splitPrefixKeyValues(normalTensor([2, 3, 1, 4, 2, 4], 1)))).toBeInstanceOf(
      ShapeMismatchError,
    );
  });

  it('options are checked, and a disposed model says so', () => {
    expect(
      thrown(() => decoder.apply({ inputIds: ids([[1]]) }, { train: true } as never)).message,
    ).toMatch(/argument 'options\.train' is invalid/);
    const gone = tinyDecoder();
    gone.dispose();
    expect(thrown(() => gone.apply({ inputIds: ids([[1]]) })).message).toMatch(
      /CausalDecoder\.apply: argument 'this' is invalid\. Expected a model whose weights are alive/,
    );
  });
});
