import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** What one run of a case produced: named tensors to compare across backends. */
export interface CaseRun {
  /** Values and gradients to compare; the runner reads and frees them. */
  readonly outputs: Readonly<Record<string, tf.Tensor>>;
  /** Frees what the case made besides its outputs (models, variables, objectives). */
  readonly dispose?: () => void;
}

/**
 * A computation run once per backend on the same inputs (built from seeds, never from the
 * backend), whose outputs are compared value by value between backends.
 */
export interface AgreementCase {
  /** A sentence naming the op and the variant, e.g. `'crossEntropy: mean, ignored labels'`. */
  readonly name: string;
  /**
   * This case's bound on the relative error, when it needs another than its suite's (the reason
   * goes in a comment beside it).
   */
  readonly tolerance?: number;
  /**
   * Builds the inputs on the active backend and computes the outputs. A case that awaits (a
   * trainer's asynchronous step) returns a promise.
   */
  run(): CaseRun | Promise<CaseRun>;
}

/** Float32 values drawn from $\mathcal{N}(0, \mathrm{scale}^2)$ with a fixed seed. */
export function seededValues(size: number, seed: number, scale = 1): Float32Array {
  const random = createRng(seed);
  return Float32Array.from({ length: size }, () => random.normal(0, scale));
}

/** A float32 tensor of `shape` with {@link seededValues}. */
export function seededTensor(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.tensor(
    seededValues(
      shape.reduce((product, size) => product * size, 1),
      seed,
      scale,
    ),
    shape,
  );
}

/** Integers in $[0, \mathrm{limit})$ with a fixed seed. */
export function seededIds(size: number, seed: number, limit: number): Int32Array {
  const random = createRng(seed);
  return Int32Array.from({ length: size }, () => random.int(0, limit - 1));
}

/**
 * The gradients of $\sum \mathrm{output} \odot R$ for a fixed random cotangent $R$ with respect to
 * `inputs`: a vector-Jacobian product that exercises every entry of the backward pass (a plain
 * sum would hide errors that cancel).
 */
export function cotangentGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  seed: number,
): tf.Tensor[] {
  return tf.grads((...xs: tf.Tensor[]) => {
    const output = f(...xs);
    return tf.sum(tf.mul(output, seededTensor(output.shape, seed)));
  })(inputs);
}

/**
 * The output name of a variable's gradient: its position and its name without the instance
 * prefix that tfjs numbers per model (`bertEncoder3/layers.0…` → `d 5 layers.0…`), so that the
 * same variable has the same output name on every backend.
 */
export function gradientName(variable: tf.Variable, index: number): string {
  const name = variable.name.replace(/^[^/]*?\d+\//, '');
  // Unnamed variables get tfjs's global counter as their name: keep only the position.
  return /^\d+$/.test(name) ? `d ${index}` : `d ${index} ${name}`;
}
