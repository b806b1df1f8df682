// Bad input across the public API: every case asserts the error class, and that the message names
// the function and the argument and says what was expected, what was received and how to fix it.
// Every case also checks that a call that throws leaves no tensor behind.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import {
  causalShift,
  createRng,
  crossEntropy,
  defineObjective,
  embeddingLookup,
  gatherPositions,
  InvalidArgumentError,
  LmObjectivesError,
  linear,
  linearCrossEntropy,
  prefixLmAttentionBias,
  ShapeMismatchError,
  type TokenScores,
  tokenCrossEntropy,
} from '../src/index';
import { describeEachBackend } from './backends';

/** Registers tensors made for one case, to dispose them when the case ends. */
type Keep = <T extends tf.Tensor>(tensor: T) => T;

interface BadInputCase {
  /** The sentence the test is named after. */
  name: string;
  /** Makes the inputs (through `keep`) and returns the call that must throw. */
  arrange: (keep: Keep) => () => unknown;
  /** `ShapeMismatchError` for shape problems, `InvalidArgumentError` (and not its subclass) otherwise. */
  errorClass: typeof InvalidArgumentError | typeof ShapeMismatchError;
  functionName: string;
  argumentName: string;
  /** More text the message must contain (the expected range, the received value, the fix…). */
  fragments?: readonly string[];
  /** Why the case currently fails, when it documents a defect of the code under test. */
  knownDefect?: string;
}

function logitsTensor(keep: Keep, shape: number[] = [2, 3, 4]): tf.Tensor {
  const size = shape.reduce((product, dimension) => product * dimension, 1);
  return keep(
    tf.tensor(
      Array.from({ length: size }, (_, index) => (index % 7) / 3 - 1),
      shape,
    ),
  );
}

/** Valid labels for `[2, 3, 4]` logits (V = 4), row-major. */
const LABELS_2x3 = [0, 1, 2, 3, -100, 1];

function toyDefinition(overrides: Record<string, unknown>) {
  return {
    objectiveId: 'acme/toy',
    description: 'A toy objective.',
    partNames: ['main'],
    batchFields: { ids: { dtype: 'int32', dimensions: ['batch'], description: 'ids' } },
    createBatch: () => ({}),
    computeLoss: () => ({}),
    ...overrides,
  } as unknown as Parameters<typeof defineObjective>[0];
}

const CASES: BadInputCase[] = [
  // crossEntropy: the tensors
  {
    name: 'crossEntropy refuses int32 logits',
    arrange: (keep) => {
      const logits = keep(tf.zeros([2, 3, 4], 'int32'));
      return () => crossEntropy(logits, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'logits',
    fragments: [
      'Expected a float32 tensor of rank 2 or 3',
      'received an int32 tensor of shape [2, 3, 4]',
      "tf.cast(logits, 'float32')",
    ],
  },
  {
    name: 'crossEntropy refuses rank-1 logits',
    arrange: (keep) => {
      const logits = logitsTensor(keep, [4]);
      return () => crossEntropy(logits, [1]);
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'logits',
    fragments: [
      'rank 2 or 3',
      'received a float32 tensor of shape [4]',
      'reshape it to rank 2 or 3',
    ],
  },
  {
    name: 'crossEntropy refuses a disposed logits tensor',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      logits.dispose();
      return () => crossEntropy(logits, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'logits',
    fragments: ['received a disposed tensor of shape [2, 3, 4]', 'keep the tensor alive'],
  },
  {
    name: 'crossEntropy refuses a labels tensor whose shape is not the logits’ leading shape',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      const labels = keep(tf.tensor2d([0, 1, 2, 3], [2, 2], 'int32'));
      return () => crossEntropy(logits, labels);
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'labels',
    fragments: ['an int32 tensor of shape [2, 3]', 'received an int32 tensor of shape [2, 2]'],
  },
  {
    name: 'crossEntropy refuses a labels array of the wrong length',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, [0, 1, 2, 3, 0]);
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'labels',
    fragments: ['Expected 6 labels (shape [2, 3], row-major)', 'received array of length 5'],
  },
  {
    name: 'crossEntropy refuses a float32 labels tensor',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      const labels = keep(tf.tensor2d([0, 1, 2, 3, 0, 1], [2, 3], 'float32'));
      return () => crossEntropy(logits, labels);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'labels',
    fragments: [
      'Expected an int32 tensor',
      'received a float32 tensor of shape [2, 3]',
      "tf.cast(labels, 'int32')",
    ],
  },
  {
    name: 'crossEntropy refuses labels given as a Float32Array',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, new Float32Array(6) as unknown as Int32Array);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'labels',
    fragments: [
      'an int32 tensor, an Int32Array or an array of integers',
      'received Float32Array of length 6',
    ],
  },
  {
    name: 'crossEntropy refuses a label ≥ V and names its index',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      const labels = keep(tf.tensor2d([0, 1, 2, 3, 0, 7], [2, 3], 'int32'));
      return () => crossEntropy(logits, labels);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'labels[1, 2]',
    fragments: [
      'Expected an integer class id in [0, 4) or the ignore index -100',
      'received 7.',
      "check the tokenizer's vocabulary size against the model's (4)",
    ],
  },
  {
    name: 'crossEntropy refuses a fractional label in an array',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, [0, 1.5, 2, 3, 0, 1]);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'labels[0, 1]',
    fragments: ['received 1.5.'],
  },
  {
    name: 'crossEntropy refuses label -100 with ignoreIndex -1 and suggests the ignoreIndex option',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, [0, -100, 2, 3, -1, 1], { ignoreIndex: -1 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'labels[0, 1]',
    fragments: ['or the ignore index -1', 'received -100.', 'pass options.ignoreIndex = -100'],
  },
  // crossEntropy: the options
  {
    name: 'crossEntropy refuses the unknown option key ignore_index',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { ignore_index: -1 } as never);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.ignore_index',
    fragments: [
      'one of the known options ignoreIndex, shift',
      "received an unknown option 'ignore_index'",
      'camelCase',
    ],
  },
  {
    name: 'crossEntropy refuses options that are not an object',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, null as never);
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options',
    fragments: ['an options object or undefined', 'received null'],
  },
  {
    name: "crossEntropy refuses reduction 'avg'",
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { reduction: 'avg' as never });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.reduction',
    fragments: ["Expected one of 'mean', 'sum', 'none'", 'received "avg"'],
  },
  {
    name: 'crossEntropy refuses labelSmoothing 1.5',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { labelSmoothing: 1.5 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.labelSmoothing',
    fragments: ['a finite number in [0, 1]', 'received 1.5.', 'between 0 and 1'],
  },
  {
    name: 'crossEntropy refuses zLoss -1',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { zLoss: -1 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.zLoss',
    fragments: ['a finite number in [0, ∞)', 'received -1.', 'λ ≥ 0'],
  },
  {
    name: 'crossEntropy refuses a non-negative ignoreIndex (it could be a class id)',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { ignoreIndex: 0 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.ignoreIndex',
    fragments: ['a finite integer in (-∞, -1]', 'received 0.', 'convention is -100'],
  },
  {
    name: "crossEntropy refuses numItemsInBatch with reduction 'sum'",
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { reduction: 'sum', numItemsInBatch: 10 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.numItemsInBatch',
    fragments: ["no numItemsInBatch with reduction 'sum'", 'received 10.', "use reduction 'mean'"],
  },
  {
    name: 'crossEntropy refuses a negative numItemsInBatch',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { numItemsInBatch: -5 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.numItemsInBatch',
    fragments: ['a finite number in [0, ∞)', 'received -5.', 'total count of scored positions'],
  },
  {
    name: 'crossEntropy refuses a non-boolean shift',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { shift: 'yes' as never });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.shift',
    fragments: ['Expected true or false', 'received "yes"'],
  },
  {
    name: 'crossEntropy refuses a negative weight and names its index',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { weights: [1, 1, 1, 1, -0.5, 1] });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.weights[1, 1]',
    fragments: ['a finite, non-negative weight', 'received -0.5.', 'weights ≥ 0'],
  },
  {
    name: 'crossEntropy refuses a NaN weight in a tensor',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      const weights = keep(tf.tensor2d([1, Number.NaN, 1, 1, 1, 1], [2, 3]));
      return () => crossEntropy(logits, LABELS_2x3, { weights });
    },
    errorClass: InvalidArgumentError,
    functionName: 'crossEntropy',
    argumentName: 'options.weights[0, 1]',
    fragments: ['received NaN.'],
  },
  {
    name: 'crossEntropy refuses weights of the wrong length',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, LABELS_2x3, { weights: [1, 1, 1] });
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'options.weights',
    fragments: ['Expected 6 weights (shape [2, 3], row-major)', 'received array of length 3'],
  },
  {
    name: 'crossEntropy refuses a weights tensor of the wrong shape',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      const weights = keep(tf.ones([3, 2]));
      return () => crossEntropy(logits, LABELS_2x3, { weights });
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'options.weights',
    fragments: ['a float32 tensor of shape [2, 3]', 'received a float32 tensor of shape [3, 2]'],
  },
  {
    name: 'crossEntropy with validateLabels: false still checks the labels’ shape',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => crossEntropy(logits, [0, 1], { validateLabels: false });
    },
    errorClass: ShapeMismatchError,
    functionName: 'crossEntropy',
    argumentName: 'labels',
  },
  // embeddingLookup
  {
    name: 'embeddingLookup refuses a table that is not 2-D',
    arrange: (keep) => {
      const table = keep(tf.zeros([5, 2, 3]));
      return () => embeddingLookup(table, [0, 1]);
    },
    errorClass: ShapeMismatchError,
    functionName: 'embeddingLookup',
    argumentName: 'table',
    fragments: ['a float32 tensor of rank 2', 'received a float32 tensor of shape [5, 2, 3]'],
  },
  {
    name: 'embeddingLookup refuses an id outside the table',
    arrange: (keep) => {
      const table = keep(tf.zeros([5, 3]));
      const ids = keep(tf.tensor2d([0, 1, 5, 2], [2, 2], 'int32'));
      return () => embeddingLookup(table, ids);
    },
    errorClass: InvalidArgumentError,
    functionName: 'embeddingLookup',
    argumentName: 'ids (flat index 2)',
    fragments: ['an integer id in [0, 5) (the table has 5 rows)', 'received 5.', 'vocabulary size'],
  },
  {
    name: 'embeddingLookup refuses float32 ids',
    arrange: (keep) => {
      const table = keep(tf.zeros([5, 3]));
      const ids = keep(tf.tensor1d([0, 1]));
      return () => embeddingLookup(table, ids);
    },
    errorClass: InvalidArgumentError,
    functionName: 'embeddingLookup',
    argumentName: 'ids',
    fragments: [
      'an int32 tensor',
      'received a float32 tensor of shape [2]',
      "tf.cast(ids, 'int32')",
    ],
  },
  {
    name: 'embeddingLookup refuses ids that are neither a tensor nor an array',
    arrange: (keep) => {
      const table = keep(tf.zeros([5, 3]));
      return () => embeddingLookup(table, 'hello' as never);
    },
    errorClass: InvalidArgumentError,
    functionName: 'embeddingLookup',
    argumentName: 'ids',
    fragments: ['an int32 tensor, an Int32Array or an array of integers', 'received "hello"'],
  },
  {
    name: 'embeddingLookup refuses options that are not an object',
    arrange: (keep) => {
      const table = keep(tf.zeros([5, 3]));
      return () => embeddingLookup(table, [0, 1], null as never);
    },
    errorClass: InvalidArgumentError,
    functionName: 'embeddingLookup',
    argumentName: 'options',
  },
  // linear
  {
    name: 'linear refuses a kernel whose input size is not x’s last axis',
    arrange: (keep) => {
      const x = keep(tf.zeros([2, 3, 4]));
      const kernel = keep(tf.zeros([5, 2]));
      return () => linear(x, kernel);
    },
    errorClass: ShapeMismatchError,
    functionName: 'linear',
    argumentName: 'kernel',
    fragments: [
      'a kernel of shape [4, out]',
      'x is [2, 3, 4]',
      'received a float32 tensor of shape [5, 2]',
      '[in, out]',
    ],
  },
  {
    name: 'linear refuses a bias that does not match the kernel’s output size',
    arrange: (keep) => {
      const x = keep(tf.zeros([2, 4]));
      const kernel = keep(tf.zeros([4, 2]));
      const bias = keep(tf.zeros([3]));
      return () => linear(x, kernel, bias);
    },
    errorClass: ShapeMismatchError,
    functionName: 'linear',
    argumentName: 'bias',
    fragments: [
      'a bias of shape [2]',
      'received a float32 tensor of shape [3]',
      'one bias per output unit',
    ],
  },
  {
    name: 'linear refuses int32 input',
    arrange: (keep) => {
      const x = keep(tf.zeros([2, 4], 'int32'));
      const kernel = keep(tf.zeros([4, 2]));
      return () => linear(x, kernel);
    },
    errorClass: InvalidArgumentError,
    functionName: 'linear',
    argumentName: 'x',
    fragments: ['received an int32 tensor of shape [2, 4]', "tf.cast(x, 'float32')"],
  },
  // gatherPositions
  {
    name: 'gatherPositions refuses a position beyond the sequence and names it',
    arrange: (keep) => {
      const hidden = keep(tf.zeros([2, 3, 4]));
      const positions = keep(tf.tensor2d([0, 2, 3, 1], [2, 2], 'int32'));
      return () => gatherPositions(hidden, positions);
    },
    errorClass: InvalidArgumentError,
    functionName: 'gatherPositions',
    argumentName: 'positions[1, 0]',
    fragments: ['a position in [0, 3)', 'received 3.', 'pad unused slots with position 0'],
  },
  {
    name: 'gatherPositions refuses positions with another batch size than hidden',
    arrange: (keep) => {
      const hidden = keep(tf.zeros([2, 3, 4]));
      const positions = keep(tf.tensor2d([0, 1, 2], [3, 1], 'int32'));
      return () => gatherPositions(hidden, positions);
    },
    errorClass: ShapeMismatchError,
    functionName: 'gatherPositions',
    argumentName: 'positions',
    fragments: [
      'an int32 tensor of shape [batch=2, predictions]',
      "received an int32 tensor of shape [3, 1]: 'batch' is 2 in hidden but 3 here",
    ],
  },
  {
    name: 'gatherPositions refuses rank-2 hidden states',
    arrange: (keep) => {
      const hidden = keep(tf.zeros([3, 4]));
      const positions = keep(tf.tensor2d([0], [1, 1], 'int32'));
      return () => gatherPositions(hidden, positions);
    },
    errorClass: ShapeMismatchError,
    functionName: 'gatherPositions',
    argumentName: 'hidden',
    fragments: [
      'a float32 tensor of shape [batch, sequence, hidden]',
      'received a float32 tensor of shape [3, 4]',
    ],
  },
  // causalShift
  {
    name: 'causalShift refuses float32 labels',
    arrange: (keep) => {
      const labels = keep(tf.tensor2d([1, 2, 3, 4], [2, 2]));
      return () => causalShift(labels);
    },
    errorClass: InvalidArgumentError,
    functionName: 'causalShift',
    argumentName: 'labels',
    fragments: ['an int32 tensor of rank 1 or 2', 'received a float32 tensor of shape [2, 2]'],
  },
  {
    name: 'causalShift refuses rank-3 labels',
    arrange: (keep) => {
      const labels = keep(tf.zeros([1, 2, 2], 'int32'));
      return () => causalShift(labels);
    },
    errorClass: ShapeMismatchError,
    functionName: 'causalShift',
    argumentName: 'labels',
    fragments: ['received an int32 tensor of shape [1, 2, 2]', 'reshape it to rank 1 or 2'],
  },
  {
    name: 'causalShift refuses the misspelt option ignore_index',
    arrange: (keep) => {
      const labels = keep(tf.tensor1d([1, 2, 3], 'int32'));
      return () => causalShift(labels, { ignore_index: -1 } as never);
    },
    errorClass: InvalidArgumentError,
    functionName: 'causalShift',
    argumentName: 'options.ignore_index',
  },
  {
    name: 'causalShift refuses a fractional ignoreIndex',
    arrange: (keep) => {
      const labels = keep(tf.tensor1d([1, 2, 3], 'int32'));
      return () => causalShift(labels, { ignoreIndex: 1.5 });
    },
    errorClass: InvalidArgumentError,
    functionName: 'causalShift',
    argumentName: 'options.ignoreIndex',
  },
  // prefixLmAttentionBias
  {
    name: 'prefixLmAttentionBias refuses a prefix longer than the sequence',
    arrange: () => () => prefixLmAttentionBias([2, 5], 4),
    errorClass: InvalidArgumentError,
    functionName: 'prefixLmAttentionBias',
    argumentName: 'separators[1]',
    fragments: ['a finite integer in [0, 4]', 'received 5.', 'between 0 and the sequence length 4'],
  },
  {
    name: 'prefixLmAttentionBias refuses a zero length',
    arrange: () => () => prefixLmAttentionBias([0], 0),
    errorClass: InvalidArgumentError,
    functionName: 'prefixLmAttentionBias',
    argumentName: 'length',
    fragments: ['a finite integer in [1, ∞)', 'received 0.', 'a positive integer'],
  },
  {
    name: 'prefixLmAttentionBias refuses an empty list of separators',
    arrange: () => () => prefixLmAttentionBias([], 4),
    errorClass: ShapeMismatchError,
    functionName: 'prefixLmAttentionBias',
    argumentName: 'separators',
    fragments: ['at least one prefix length', 'received array of length 0 []'],
  },
  {
    name: 'prefixLmAttentionBias refuses a float32 separators tensor',
    arrange: (keep) => {
      const separators = keep(tf.tensor1d([1, 2]));
      return () => prefixLmAttentionBias(separators, 4);
    },
    errorClass: InvalidArgumentError,
    functionName: 'prefixLmAttentionBias',
    argumentName: 'separators',
    fragments: ['an int32 tensor of rank 1', 'received a float32 tensor of shape [2]'],
  },
  // tokenCrossEntropy
  {
    name: 'tokenCrossEntropy refuses scores that are neither logits nor hidden states',
    arrange: (keep) => {
      const logits = logitsTensor(keep);
      return () => tokenCrossEntropy({ scores: logits } as unknown as TokenScores, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'tokenCrossEntropy',
    argumentName: 'scores',
    fragments: [
      '{ logits } or { hiddenStates, projection',
      'received an object',
      'wrap the model output',
    ],
  },
  {
    name: 'tokenCrossEntropy refuses an unknown projection layout',
    arrange: (keep) => {
      const hiddenStates = keep(tf.zeros([2, 3, 5]));
      const weight = keep(tf.zeros([5, 4]));
      const scores = { hiddenStates, projection: { weight, layout: 'transposed' } };
      return () => tokenCrossEntropy(scores as unknown as TokenScores, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'tokenCrossEntropy',
    argumentName: 'scores.projection.layout',
    fragments: ["'hidden-by-vocab' ([H, V]) or 'vocab-by-hidden'", 'received "transposed"'],
  },
  {
    name: 'tokenCrossEntropy refuses hidden states without a projection weight',
    arrange: (keep) => {
      const hiddenStates = keep(tf.zeros([2, 3, 5]));
      const scores = { hiddenStates, projection: { layout: 'hidden-by-vocab' } };
      return () => tokenCrossEntropy(scores as unknown as TokenScores, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'tokenCrossEntropy',
    argumentName: 'scores.projection.weight',
    fragments: ['a float32 tensor of rank 2', 'received undefined'],
  },
  {
    name: 'tokenCrossEntropy names itself and scores.logits for int32 logits',
    arrange: (keep) => {
      const logits = keep(tf.zeros([2, 3, 4], 'int32'));
      return () => tokenCrossEntropy({ logits }, LABELS_2x3);
    },
    errorClass: InvalidArgumentError,
    functionName: 'tokenCrossEntropy',
    argumentName: 'scores.logits',
    knownDefect:
      'tokenCrossEntropy forwards logits to crossEntropy unchecked: the error says "crossEntropy: argument \'logits\'"',
  },
  {
    name: 'tokenCrossEntropy names itself for a projection whose hidden size does not match',
    arrange: (keep) => {
      const hiddenStates = keep(tf.zeros([2, 3, 5]));
      const weight = keep(tf.zeros([6, 4]));
      const scores: TokenScores = {
        hiddenStates,
        projection: { weight, layout: 'hidden-by-vocab' },
      };
      return () => tokenCrossEntropy(scores, LABELS_2x3);
    },
    errorClass: ShapeMismatchError,
    functionName: 'tokenCrossEntropy',
    argumentName: 'scores.projection.weight',
    knownDefect:
      'tokenCrossEntropy lets the function it delegates to report the mismatch under its own name and argument (linearCrossEntropy/weight, earlier linear/kernel), which the caller never called',
  },
  // createRng
  {
    name: 'createRng refuses a negative seed',
    arrange: () => () => createRng(-1),
    errorClass: InvalidArgumentError,
    functionName: 'createRng',
    argumentName: 'seed',
    fragments: [
      `a finite integer in [0, ${Number.MAX_SAFE_INTEGER}]`,
      'received -1.',
      'such as 42',
    ],
  },
  {
    name: 'createRng refuses a seed given as a string',
    arrange: () => () => createRng('7' as never),
    errorClass: InvalidArgumentError,
    functionName: 'createRng',
    argumentName: 'seed',
    fragments: ['received "7".'],
  },
  // defineObjective
  {
    name: "defineObjective refuses the id 'Bert/MLM'",
    arrange: () => () => defineObjective(toyDefinition({ objectiveId: 'Bert/MLM' })),
    errorClass: InvalidArgumentError,
    functionName: 'defineObjective',
    argumentName: 'definition.objectiveId',
    fragments: [
      "an id 'scope/name' in lowercase kebab case",
      'received "Bert/MLM"',
      'lowercase letters',
    ],
  },
  {
    name: 'defineObjective refuses duplicate part names',
    arrange: () => () => defineObjective(toyDefinition({ partNames: ['main', 'main'] })),
    errorClass: InvalidArgumentError,
    functionName: 'defineObjective',
    argumentName: 'definition.partNames',
    fragments: ['distinct part names', 'received array of length 2 [main, main]'],
  },
];

/** Runs `action`, which must throw, and returns what it threw (freeing whatever it returned instead). */
function thrownBy(action: () => unknown): unknown {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return error;
  }
  tf.dispose(result as tf.TensorContainer);
  throw new Error('expected the call to throw, but it returned normally');
}

describeEachBackend('bad input', () => {
  it('has at least 20 cases, each with a distinct name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
    expect(new Set(CASES.map((testCase) => testCase.name)).size).toBe(CASES.length);
  });

  for (const testCase of CASES) {
    it(testCase.name, () => {
      const kept: tf.Tensor[] = [];
      const keep: Keep = (tensor) => {
        kept.push(tensor);
        return tensor;
      };
      try {
        const call = testCase.arrange(keep);
        const tensorsBefore = tf.memory().numTensors;
        const error = thrownBy(call);
        expect(tf.memory().numTensors, 'tensors left behind by the failing call').toBe(
          tensorsBefore,
        );

        const context = testCase.knownDefect
          ? `${String(error)} (known defect: ${testCase.knownDefect})`
          : String(error);
        expect(testCase.errorClass.isInstance(error), context).toBe(true);
        expect(LmObjectivesError.isInstance(error)).toBe(true);
        if (testCase.errorClass === InvalidArgumentError) {
          expect(ShapeMismatchError.isInstance(error), 'not a shape problem').toBe(false);
        }
        const invalid = error as InvalidArgumentError;
        expect(invalid.functionName).toBe(testCase.functionName);
        expect(invalid.argumentName).toBe(testCase.argumentName);
        const { message } = invalid;
        expect(message.startsWith(`${testCase.functionName}: `), message).toBe(true);
        expect(message).toContain(`argument '${testCase.argumentName}'`);
        expect(message).toContain('Expected');
        expect(message).toContain('received');
        expect(message).toContain('Fix:');
        for (const fragment of testCase.fragments ?? []) expect(message).toContain(fragment);
      } finally {
        tf.dispose(kept);
      }
    });
  }

  it('makes an unchecked out-of-range label (validateLabels: false) a NaN loss and gradient, never a tfjs error', () => {
    // validateLabels: false skips reading the labels back: the caller vouches for them. A label
    // outside [0, V) is then made safe on the device (it reads class 0) and weighted NaN, so the
    // loss, sum, count and gradient say "garbage" instead of scoring another row's logit or
    // failing inside tfjs (a label ≥ V on the last row used to throw a raw GatherV2 error).
    const logits = tf.tensor2d([0.5, -1, 2, 1, 0, -0.5], [2, 3]);
    const hidden = tf.eye(2);
    try {
      for (const labels of [
        [5, 1],
        [1, 3],
        [1, -7],
      ]) {
        expect(InvalidArgumentError.isInstance(thrownBy(() => crossEntropy(logits, labels)))).toBe(
          true,
        );
        for (const call of [
          () => crossEntropy(logits, labels, { validateLabels: false }),
          () => linearCrossEntropy(hidden, logits, labels, { validateLabels: false }),
        ]) {
          const result = call();
          expect(Number.isNaN(result.loss.dataSync()[0])).toBe(true);
          expect(Number.isNaN(result.sum.dataSync()[0])).toBe(true);
          expect(Number.isNaN(result.count.dataSync()[0])).toBe(true);
          tf.dispose([result.loss, result.sum, result.count]);
        }
        const gradient = tf.grad(
          (z: tf.Tensor) => crossEntropy(z, labels, { validateLabels: false }).loss,
        )(logits);
        expect(Array.from(gradient.dataSync()).some(Number.isNaN)).toBe(true);
        gradient.dispose();
      }
    } finally {
      tf.dispose([logits, hidden]);
    }
  });
});
