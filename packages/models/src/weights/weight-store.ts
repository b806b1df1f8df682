import { type RandomSource, truncatedNormalValues } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** How a weight starts. */
export type Initializer = 'truncated-normal' | 'zeros' | 'ones';

/** The variables of one model by stable name, created in a fixed order from one random source. */
export interface WeightStore {
  readonly weights: Record<string, tf.Variable>;
  create(name: string, shape: readonly number[], initializer: Initializer): tf.Variable;
  /** Disposes every variable (idempotent). */
  dispose(): void;
}

let modelCounter = 0;

/**
 * Creates a {@link WeightStore}. Variable names are `<kind><n>/<stable name>` so that several
 * models live side by side (tfjs refuses two variables of one name) while each stable name still
 * reads in the variable's own name (an optimiser's weight-decay filter finds `embeddings.` there).
 *
 * @internal
 */
export function createWeightStore(
  kind: string,
  random: RandomSource,
  standardDeviation: number,
): WeightStore {
  modelCounter += 1;
  const prefix = `${kind}${modelCounter}`;
  const weights: Record<string, tf.Variable> = {};
  return {
    weights,
    create(name, shape, initializer) {
      const size = shape.reduce((product, dimension) => product * dimension, 1);
      // Kernels and tables: core's truncated normal (redrawn outside ±2σ, as BERT's initialiser).
      const values =
        initializer === 'truncated-normal'
          ? truncatedNormalValues(random, size, { standardDeviation })
          : new Float32Array(size).fill(initializer === 'ones' ? 1 : 0);
      const variable = tf.tidy(() =>
        tf.variable(tf.tensor(values, [...shape], 'float32'), true, `${prefix}/${name}`),
      );
      weights[name] = variable;
      return variable;
    },
    dispose() {
      for (const variable of Object.values(weights)) {
        if (!variable.isDisposed) variable.dispose();
      }
    },
  };
}
