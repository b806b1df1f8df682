// Bad input across the public API: each case asserts the typed error, that the message names the
// function and the argument and says what was expected, what was received and how to fix it, and
// (through describeEachBackend) that a call that throws leaves no tensor behind.
import { createRng, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  type ConditionalExample,
  createConditionalLmObjective,
  createLoraAdapter,
  createLoraAdapters,
  loadLoraAdapters,
  loraScaling,
  saveLoraAdapters,
} from '../src/index';
import { LoraDense } from '../src/layers/index';
import { expectInvalidArgument } from './helpers';

interface BadInputCase {
  name: string;
  call: (keep: <T extends tf.Tensor>(tensor: T) => T) => unknown;
  functionName: string;
  argumentName: string;
  fragments?: string[];
  shape?: boolean;
}

const kernelVariable = (keep: <T extends tf.Tensor>(tensor: T) => T, inputs = 4, outputs = 3) =>
  keep(tf.tidy(() => tf.variable(tf.ones([inputs, outputs]))));
const batchOf = (examples: readonly ConditionalExample[], options = {}) =>
  createConditionalLmObjective({ eosTokenId: 1, ...options }).createBatch(examples, {
    random: createRng(0),
  });

const CASES: BadInputCase[] = [
  {
    name: 'a kernel that is a tensor, not a variable',
    call: (keep) => createLoraAdapter({ kernel: keep(tf.ones([4, 3])) as tf.Variable }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.kernel',
    fragments: ['tf.Variable'],
  },
  {
    name: 'a kernel of rank 1',
    call: (keep) => createLoraAdapter({ kernel: keep(tf.tidy(() => tf.variable(tf.ones([4])))) }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.kernel',
    shape: true,
  },
  {
    name: 'rank 0',
    call: (keep) => createLoraAdapter({ kernel: kernelVariable(keep), rank: 0 }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.rank',
    fragments: ['integer in [1, ∞)', 'received 0'],
  },
  {
    name: 'a negative alpha',
    call: (keep) => createLoraAdapter({ kernel: kernelVariable(keep), alpha: -8 }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.alpha',
  },
  {
    name: 'dropout 1',
    call: (keep) => createLoraAdapter({ kernel: kernelVariable(keep), dropout: 1 }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.dropout',
    fragments: ['[0, 1)'],
  },
  {
    name: "initialization 'kaiming'",
    call: (keep) =>
      createLoraAdapter({ kernel: kernelVariable(keep), initialization: 'kaiming' as 'uniform' }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.initialization',
    fragments: ["'uniform', 'gaussian'"],
  },
  {
    name: "the misspelt option 'r'",
    call: (keep) => createLoraAdapter({ kernel: kernelVariable(keep), r: 4 } as never),
    functionName: 'createLoraAdapter',
    argumentName: 'options.r',
    fragments: ["unknown option 'r'"],
  },
  {
    name: 'a bias of the wrong size',
    call: (keep) =>
      createLoraAdapter({
        kernel: kernelVariable(keep),
        bias: keep(tf.tidy(() => tf.variable(tf.ones([5])))),
      }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.bias',
    shape: true,
    fragments: ['[out=3]', 'shape [5]'],
  },
  {
    name: 'an input whose last axis is not the kernel’s input size',
    call: (keep) => {
      const adapter = createLoraAdapter({ kernel: kernelVariable(keep), rank: 2 });
      try {
        return adapter.apply(keep(tf.ones([2, 5])));
      } finally {
        adapter.dispose();
      }
    },
    functionName: 'LoraAdapter.apply',
    argumentName: 'x',
    shape: true,
    fragments: ['[..., 4]'],
  },
  {
    name: 'linears given as an array',
    call: () => createLoraAdapters([] as never),
    functionName: 'createLoraAdapters',
    argumentName: 'linears',
  },
  {
    name: 'targets that match no linear',
    call: (keep) => createLoraAdapters({ 'mlp/up': { kernel: kernelVariable(keep) } }),
    functionName: 'createLoraAdapters',
    argumentName: 'options.targets',
    fragments: ["'mlp/up'", 'matched none'],
  },
  {
    name: 'loraScaling with a fractional rank',
    call: () => loraScaling(8, 1.5),
    functionName: 'loraScaling',
    argumentName: 'rank',
  },
  {
    name: 'saving something that is not an adapter set',
    call: () => saveLoraAdapters({} as never),
    functionName: 'saveLoraAdapters',
    argumentName: 'adapters',
  },
  {
    name: 'loading a non-checkpoint',
    call: (keep) => {
      const lora = createLoraAdapters({ q: { kernel: kernelVariable(keep) } }, { rank: 2 });
      try {
        return loadLoraAdapters(lora, { weights: new Float32Array(4) } as never);
      } finally {
        lora.dispose();
      }
    },
    functionName: 'loadLoraAdapters',
    argumentName: 'checkpoint',
  },
  {
    name: 'a LoraDense layer with 0 units',
    call: () => new LoraDense({ units: 0 }),
    functionName: 'LoraDense',
    argumentName: 'args.units',
  },
  {
    name: 'an objective without eosTokenId',
    call: () => createConditionalLmObjective({} as never),
    functionName: 'createConditionalLmObjective',
    argumentName: 'options.eosTokenId',
  },
  {
    name: 'packing without maxLength',
    call: () => createConditionalLmObjective({ eosTokenId: 1, packing: true }),
    functionName: 'createConditionalLmObjective',
    argumentName: 'options.maxLength',
    fragments: ['packing'],
  },
  {
    name: 'maxLength 1',
    call: () => createConditionalLmObjective({ eosTokenId: 1, maxLength: 1 }),
    functionName: 'createConditionalLmObjective',
    argumentName: 'options.maxLength',
  },
  {
    name: "strategy 'completion'",
    call: () => createConditionalLmObjective({ eosTokenId: 1, strategy: 'completion' as 'all' }),
    functionName: 'createConditionalLmObjective',
    argumentName: 'options.strategy',
    fragments: ["'completion-only', 'all', 'assistant', 'last'"],
  },
  {
    name: 'an EOS id outside the vocabulary',
    call: () => createConditionalLmObjective({ eosTokenId: 50, vocabularySize: 50 }),
    functionName: 'createConditionalLmObjective',
    argumentName: 'options.eosTokenId',
  },
  {
    name: 'labels (−100) passed as prompt ids',
    call: () => batchOf([{ prompt: [4, -100], completion: [5] }]),
    functionName: 'createConditionalLmBatch',
    argumentName: 'examples[0].prompt[1]',
    fragments: ['ignored label'],
  },
  {
    name: 'a completion id beyond the vocabulary',
    call: () => batchOf([{ prompt: [4], completion: [5, 99] }], { vocabularySize: 20 }),
    functionName: 'createConditionalLmBatch',
    argumentName: 'examples[0].completion[1]',
    fragments: ['[0, 20)'],
  },
  {
    name: 'an example with a prompt but no completion',
    call: () => batchOf([{ prompt: [4] } as never]),
    functionName: 'createConditionalLmBatch',
    argumentName: 'examples[0]',
    fragments: ['tokenize the prompt and the completion separately'],
  },
  {
    name: 'a chat turn without a role',
    call: () => batchOf([{ turns: [{ ids: [4] } as never] }]),
    functionName: 'createConditionalLmBatch',
    argumentName: 'examples[0].turns[0].role',
  },
  {
    name: 'no examples',
    call: () => batchOf([]),
    functionName: 'createConditionalLmBatch',
    argumentName: 'examples',
  },
  {
    name: 'logits whose shape does not fit the batch',
    call: (keep) => {
      const objective = createConditionalLmObjective({ eosTokenId: 1 });
      const batch = objective.createBatch([{ prompt: [3], completion: [4] }], {
        random: createRng(0),
      });
      return objective.computeLoss({ outputs: { logits: keep(tf.zeros([1, 7, 5])) }, batch });
    },
    functionName: 'lora/conditional-lm computeLoss',
    argumentName: 'outputs.logits',
    shape: true,
    fragments: ["'sequence' must be 3"],
  },
  {
    name: 'a rank above min(in, out) of the kernel',
    call: (keep) => createLoraAdapter({ kernel: kernelVariable(keep, 16, 4), rank: 5 }),
    functionName: 'createLoraAdapter',
    argumentName: 'options.rank',
    fragments: ['at most 4', 'received 5'],
  },
  {
    name: 'a rank above a target’s width among several linears',
    call: (keep) =>
      createLoraAdapters(
        {
          wide: { kernel: kernelVariable(keep, 8, 8) },
          narrow: { kernel: kernelVariable(keep, 8, 2) },
        },
        { rank: 4, targets: 'all-linear' },
      ),
    functionName: 'createLoraAdapters',
    argumentName: 'options.rank',
    fragments: ["'narrow'", 'at most 2'],
  },
];

describeEachBackend('bad input', () => {
  it('has at least 10 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(CASES.map((item) => [item.name, item] as const))('refuses %s', (_, item) => {
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(tensor: T): T => {
      kept.push(tensor);
      return tensor;
    };
    try {
      const error = expectInvalidArgument(
        () => item.call(keep),
        item.functionName,
        item.argumentName,
        item.fragments ?? [],
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      if (item.shape) expect(ShapeMismatchError.isInstance(error)).toBe(true);
    } finally {
      tf.dispose(kept);
    }
  });
});
