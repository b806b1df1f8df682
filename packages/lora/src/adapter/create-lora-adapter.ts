import { InvalidArgumentError, linear, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkFloatTensor,
  checkOptionKeys,
  formatShape,
  isVariable,
} from '../internal/validate';
import { frozenLinear } from './frozen-linear';
import { LORA_OPTION_KEYS, type LoraOptions, resolveLoraOptions } from './lora-options';
import { dropoutMask, initialDownProjection } from './lora-random';

/** Options of a single forward call through an adapter. */
export interface LoraApplyOptions {
  /** Apply the adapter-input dropout (training only). Default `false`. */
  training?: boolean;
}

/**
 * A LoRA adapter on one dense kernel $W$ `[in, out]` (the `tf.layers` layout, $y = xW + b$):
 * $$y = x W + b + s\,(\mathrm{dropout}(x)\,A)\,B, \quad A \in \mathbb{R}^{\mathrm{in}\times r},\ B \in \mathbb{R}^{r\times\mathrm{out}},\ s = \alpha/r \text{ or } \alpha/\sqrt r.$$
 * The base kernel and bias are frozen; only $A$ and $B$ train.
 */
export interface LoraAdapter {
  /** The name of the adapted linear, e.g. `'layer0/attention/query'`. */
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  /** $s = \alpha/r$, or $\alpha/\sqrt r$ with rsLoRA. */
  readonly scaling: number;
  readonly dropout: number;
  /** The frozen base kernel `[in, out]` (merging writes into it). */
  readonly kernel: tf.Variable;
  /** The frozen base bias `[out]`, if any. */
  readonly bias: tf.Variable | undefined;
  /** The down-projection $A$ `[in, r]` (trainable). */
  readonly a: tf.Variable;
  /** The up-projection $B$ `[r, out]` (trainable). */
  readonly b: tf.Variable;
  /** Whether $s\,AB$ is currently added into `kernel`. */
  readonly merged: boolean;
  /**
   * The adapted layer's output for `x` `[..., in]`: float32 `[..., out]`, caller-owned. When merged,
   * the (merged) kernel alone. Differentiable w.r.t. `x`, $A$ and $B$ with wasm-fast products.
   */
  apply(x: tf.Tensor, options?: LoraApplyOptions): tf.Tensor;
  /** The update $\Delta W = s\,A B$ `[in, out]`, caller-owned. */
  delta(): tf.Tensor2D;
  /** $W \leftarrow W + s\,AB$ (float32). Throws if already merged. */
  merge(): void;
  /** Like {@link LoraAdapter.merge}, but refuses (leaving $W$ unchanged) if the result is not finite. */
  safeMerge(): void;
  /** $W \leftarrow W - s\,AB$. Throws if not merged. */
  unmerge(): void;
  /** $[A, B]$: what an optimiser should train. */
  trainableWeights(): tf.Variable[];
  /** Frees $A$ and $B$ (when this adapter created them); the base weights are left alone. */
  dispose(): void;
}

/** The options of {@link createLoraAdapter}. */
export interface CreateLoraAdapterOptions extends LoraOptions {
  /** The base kernel `[in, out]`, a float32 variable. It is frozen (`trainable = false`). */
  kernel: tf.Variable;
  /** The base bias `[out]`, frozen too. */
  bias?: tf.Variable;
  /** A name for messages and checkpoints. Default `'linear'`. */
  name?: string;
  /**
   * Existing variables to use as $A$ `[in, r]` and $B$ `[r, out]` (the `tf.layers` integration
   * creates them as layer weights); they are initialised here all the same.
   */
  weights?: { a: tf.Variable; b: tf.Variable };
  /** The kernel already holds the merged update (restoring a model saved while merged). Default `false`. */
  merged?: boolean;
}

const FUNCTION_NAME = 'createLoraAdapter';

function stateError(
  functionName: string,
  name: string,
  merged: boolean,
  fix: string,
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName: 'adapter',
    expected: merged
      ? 'an unmerged adapter (its update not yet added to the kernel)'
      : 'a merged adapter (its update added to the kernel by merge())',
    received: name,
    receivedDescription: `adapter '${name}', which is ${merged ? 'already merged' : 'not merged'}`,
    fix,
  });
}

/**
 * Creates a {@link LoraAdapter} around a dense kernel: $A \sim U(\pm1/\sqrt{\mathrm{in}})$ (or
 * Gaussian), $B = 0$, so the adapted layer equals the base layer exactly at initialisation; freezes
 * the kernel and bias. All randomness (initialisation, dropout masks) comes from core's seeded
 * random source.
 *
 * @example
 * const adapter = createLoraAdapter({ kernel, bias, name: 'query', rank: 4, alpha: 8 });
 * const y = adapter.apply(x, { training: true }); // x [B, L, in] → [B, L, out]
 * optimizer.minimize(() => loss(y), false, adapter.trainableWeights());
 */
export function createLoraAdapter(options: CreateLoraAdapterOptions): LoraAdapter {
  checkOptionKeys(FUNCTION_NAME, options, [
    ...LORA_OPTION_KEYS,
    'kernel',
    'bias',
    'name',
    'weights',
    'merged',
  ]);
  if (options === undefined) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options',
      expected: 'an object with at least a kernel variable',
      received: options,
      fix: 'pass { kernel, bias?, rank?, alpha?, ... }.',
    });
  }
  const name = options.name ?? 'linear';
  if (typeof name !== 'string' || name === '') {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.name',
      expected: 'a non-empty string',
      received: name,
      fix: "name the adapted linear, e.g. 'layer0/query'.",
    });
  }
  const kernel = checkFloatTensor(
    { functionName: FUNCTION_NAME, argumentName: 'options.kernel' },
    options.kernel,
    2,
    { variable: true },
  ) as tf.Variable;
  const [inputSize, outputSize] = kernel.shape as [number, number];
  const bias = options.bias;
  if (bias !== undefined) {
    checkFloatTensor({ functionName: FUNCTION_NAME, argumentName: 'options.bias' }, bias, 1, {
      variable: true,
    });
    if (bias.shape[0] !== outputSize) {
      throw new ShapeMismatchError({
        functionName: FUNCTION_NAME,
        argumentName: 'options.bias',
        expected: `a bias of shape [${outputSize}] (the kernel's output size)`,
        received: bias,
        fix: 'pass the bias that belongs to this kernel.',
      });
    }
  }
  const { resolved, random } = resolveLoraOptions(FUNCTION_NAME, options);
  const { rank, scaling, dropout } = resolved;
  let merged = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.merged' },
    options.merged,
    false,
  );

  const initialA = initialDownProjection(random, inputSize, rank, resolved.initialization);
  const ownsWeights = options.weights === undefined;
  let a: tf.Variable;
  let b: tf.Variable;
  if (options.weights === undefined) {
    // tf.variable copies its initial value; tidy frees the temporaries (and keeps variables).
    a = tf.tidy(() => tf.variable(tf.tensor2d(initialA, [inputSize, rank]), true));
    b = tf.tidy(() => tf.variable(tf.zeros([rank, outputSize]), true));
  } else {
    const given = options.weights;
    for (const [key, expectedShape] of [
      ['a', [inputSize, rank]],
      ['b', [rank, outputSize]],
    ] as const) {
      const variable = given[key];
      const site = { functionName: FUNCTION_NAME, argumentName: `options.weights.${key}` };
      checkFloatTensor(site, variable, 2, { variable: true });
      if (variable.shape[0] !== expectedShape[0] || variable.shape[1] !== expectedShape[1]) {
        throw new ShapeMismatchError({
          ...site,
          expected: `shape ${formatShape(expectedShape)}`,
          received: variable,
          fix: `create ${key === 'a' ? 'A as [in, r]' : 'B as [r, out]'}.`,
        });
      }
    }
    a = given.a;
    b = given.b;
    tf.tidy(() => {
      a.assign(tf.tensor2d(initialA, [inputSize, rank]));
      b.assign(tf.zeros([rank, outputSize]));
    });
  }
  kernel.trainable = false;
  if (bias) bias.trainable = false;

  const delta = (): tf.Tensor2D => tf.tidy(() => tf.mul(tf.matMul(a, b), scaling));
  /** Computes W ± s·AB; with `requireFinite`, refuses a non-finite result. */
  const writeKernel = (sign: 1 | -1, functionName: string, requireFinite: boolean) => {
    const updated = tf.tidy(() => (sign > 0 ? tf.add(kernel, delta()) : tf.sub(kernel, delta())));
    if (requireFinite) {
      const finite = tf.tidy(() => tf.all(tf.isFinite(updated)));
      const ok = finite.dataSync()[0] === 1;
      finite.dispose();
      if (!ok) {
        updated.dispose();
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'adapter',
          expected: 'an update whose merged kernel is finite',
          received: name,
          receivedDescription: `adapter '${name}', whose merged kernel would contain NaN or ±Infinity`,
          fix: 'check A and B for non-finite values (a diverged step); the kernel was left unchanged.',
        });
      }
    }
    kernel.assign(updated);
    updated.dispose();
  };

  let disposed = false;
  const adapter: LoraAdapter = {
    name,
    inputSize,
    outputSize,
    rank,
    alpha: resolved.alpha,
    rsLora: resolved.rsLora,
    scaling,
    dropout,
    kernel,
    bias,
    get a() {
      return a;
    },
    get b() {
      return b;
    },
    get merged() {
      return merged;
    },
    apply(x, applyOptions) {
      const functionName = 'LoraAdapter.apply';
      checkOptionKeys(functionName, applyOptions, ['training']);
      const training = checkBoolean(
        { functionName, argumentName: 'options.training' },
        applyOptions?.training,
        false,
      );
      if (disposed) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'adapter',
          expected: 'a live adapter',
          received: name,
          receivedDescription: `adapter '${name}', already disposed`,
          fix: 'create a new adapter; a disposed one has lost its A and B.',
        });
      }
      if (merged && training) {
        throw stateError(
          functionName,
          name,
          true,
          'call unmerge() before training: a merged adapter would pass no gradient to A and B.',
        );
      }
      checkFloatTensor({ functionName, argumentName: 'x' }, x, x?.rank ?? 2);
      if (x.rank < 1 || x.shape[x.rank - 1] !== inputSize) {
        throw new ShapeMismatchError({
          functionName,
          argumentName: 'x',
          expected: `a tensor [..., ${inputSize}] (adapter '${name}' has ${inputSize} inputs)`,
          received: x,
          fix: 'pass the input of the adapted linear layer.',
        });
      }
      const leadingShape = x.shape.slice(0, -1);
      const rows = x.size / inputSize;
      // Drawn before the tidy so that a failing call does not advance the random stream.
      const mask = training && dropout > 0 && !merged ? dropoutMask(random, x.size, dropout) : null;
      return tf.tidy(() => {
        const flat = tf.reshape(x, [rows, inputSize]) as tf.Tensor2D;
        let output: tf.Tensor2D = frozenLinear(flat, kernel as tf.Tensor2D, bias as tf.Tensor1D);
        if (!merged) {
          const input = mask ? tf.mul(flat, tf.tensor2d(mask, [rows, inputSize])) : flat;
          const update = linear(linear(input, a), b) as tf.Tensor2D;
          output = tf.add(output, tf.mul(update, scaling));
        }
        return tf.reshape(output, [...leadingShape, outputSize]);
      });
    },
    delta,
    merge() {
      if (merged)
        throw stateError('merge', name, true, 'call unmerge() first, or skip this merge.');
      writeKernel(1, 'merge', false);
      merged = true;
    },
    safeMerge() {
      if (merged) {
        throw stateError('safeMerge', name, true, 'call unmerge() first, or skip this merge.');
      }
      writeKernel(1, 'safeMerge', true);
      merged = true;
    },
    unmerge() {
      if (!merged) {
        throw stateError(
          'unmerge',
          name,
          false,
          'only unmerge an adapter that merge() or safeMerge() merged.',
        );
      }
      writeKernel(-1, 'unmerge', false);
      merged = false;
    },
    trainableWeights: () => [a, b],
    dispose() {
      if (disposed) return;
      disposed = true;
      if (ownsWeights) {
        a.dispose();
        b.dispose();
      }
    },
  };
  return adapter;
}

/** Whether `value` is a {@link LoraAdapter}-shaped object (for argument checks). */
export function isLoraAdapter(value: unknown): value is LoraAdapter {
  return (
    value != null &&
    typeof value === 'object' &&
    typeof (value as LoraAdapter).apply === 'function' &&
    isVariable((value as LoraAdapter).kernel)
  );
}
