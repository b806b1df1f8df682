import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { type AdamWOptions, resolveAdamWOptions } from './adamw-options';
import { checkAdamWState } from './check-adamw-state';

export type { AdamWOptions } from './adamw-options';

/** The optimizer state that a checkpoint stores. */
export interface AdamWState {
  /** Updates applied to each variable so far, $t_i$ (a variable without a gradient is skipped). */
  readonly steps: readonly number[];
  /** $m_i$ and $v_i$ of each variable, as flat arrays. */
  readonly firstMoments: readonly Float32Array[];
  readonly secondMoments: readonly Float32Array[];
}

/**
 * AdamW (Loshchilov & Hutter) with the moments kept in `tf.Variable`s created up front, so that an
 * update allocates nothing that outlives it. Matches PyTorch's `torch.optim.AdamW`.
 */
export interface AdamWOptimizer {
  /** The variables it updates, in order. */
  readonly variables: readonly tf.Variable[];
  /** Whether each variable gets weight decay (aligned with {@link AdamWOptimizer.variables}). */
  readonly decays: readonly boolean[];
  /** The resolved hyper-parameters. */
  readonly options: Readonly<
    Required<Pick<AdamWOptions, 'beta1' | 'beta2' | 'epsilon' | 'weightDecay'>>
  >;
  /**
   * One update with learning rate $\eta$. `gradients[i]` belongs to `variables[i]`; `null` skips
   * that variable entirely (no decay, no moment update), like PyTorch does for a parameter whose
   * `.grad` is `None`. Does not dispose the gradients.
   */
  applyGradients(gradients: readonly (tf.Tensor | null)[], learningRate: number): void;
  /** A copy of the state as it is when called, for a checkpoint (read back asynchronously). */
  getState(): Promise<AdamWState>;
  /** Restores a state returned by {@link AdamWOptimizer.getState}. */
  setState(state: AdamWState): void;
  /** Frees the moment variables. */
  dispose(): void;
}

/**
 * Creates an AdamW optimizer over `variables`. Per variable $\theta$ with gradient $g$, at its
 * update $t$ (1-based) and learning rate $\eta$:
 *
 * $m \leftarrow \beta_1 m + (1-\beta_1) g$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$,
 * $\theta \leftarrow \theta\,(1 - \eta\lambda\,[\text{decays}]) - \frac{\eta}{1-\beta_1^t}\cdot\frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \varepsilon}$.
 *
 * The decay is decoupled from the gradient (it never enters $m$ or $v$) and scales with the
 * scheduled $\eta$, as in PyTorch. Biases, normalisation weights and embeddings are not decayed by
 * default.
 */
export function createAdamW(
  variables: readonly tf.Variable[],
  options: AdamWOptions = {},
): AdamWOptimizer {
  const { beta1, beta2, epsilon, weightDecay, weightDecayFilter, embeddings } = resolveAdamWOptions(
    options,
    'createAdamW',
    'options',
  );
  const embeddingSet = new Set(embeddings);
  const decays = variables.map((variable) =>
    weightDecayFilter({
      variable,
      isEmbedding: embeddingSet.has(variable) || /embed/i.test(variable.name),
    }),
  );
  // Created once, up front: an update then only reassigns them, so the tensor count stays flat.
  const zeroMoment = (variable: tf.Variable): tf.Variable =>
    tf.tidy(() => tf.variable(tf.zerosLike(variable), false, undefined, 'float32'));
  const firstMoments = variables.map(zeroMoment);
  const secondMoments = variables.map(zeroMoment);
  const steps = variables.map(() => 0);
  let disposed = false;

  const applyGradients = (gradients: readonly (tf.Tensor | null)[], learningRate: number): void => {
    if (gradients.length !== variables.length) {
      throw new InvalidArgumentError({
        functionName: 'AdamWOptimizer.applyGradients',
        argumentName: 'gradients',
        expected: `${variables.length} gradients (one per variable, null to skip)`,
        received: gradients,
        receivedDescription: `${gradients.length} gradients`,
        fix: 'pass the gradients in the order of optimizer.variables.',
      });
    }
    for (let index = 0; index < variables.length; index++) {
      const gradient = gradients[index];
      if (gradient == null) continue;
      const step = ++steps[index]!;
      // Bias corrections in float64, as scalars: the same rounding as PyTorch's python floats.
      const stepSize = learningRate / (1 - beta1 ** step);
      const secondCorrection = Math.sqrt(1 - beta2 ** step);
      const variable = variables[index]!;
      const first = firstMoments[index]!;
      const second = secondMoments[index]!;
      tf.tidy(() => {
        const newFirst = tf.add(tf.mul(first, beta1), tf.mul(gradient, 1 - beta1));
        const newSecond = tf.add(tf.mul(second, beta2), tf.mul(tf.square(gradient), 1 - beta2));
        const denominator = tf.add(tf.div(tf.sqrt(newSecond), secondCorrection), epsilon);
        const decayed = decays[index] ? tf.mul(variable, 1 - learningRate * weightDecay) : variable;
        first.assign(newFirst);
        second.assign(newSecond);
        variable.assign(tf.sub(decayed, tf.mul(tf.div(newFirst, denominator), stepSize)));
      });
    }
  };

  return {
    variables,
    decays,
    options: { beta1, beta2, epsilon, weightDecay },
    applyGradients,
    getState() {
      // Taken now (clones share their data), read back later: a consistent state even if an
      // update runs before the promise settles.
      const counts = [...steps];
      const clones = [...firstMoments, ...secondMoments].map((moment) => tf.clone(moment));
      const read = async (): Promise<AdamWState> => {
        try {
          const values = (await Promise.all(clones.map((clone) => clone.data()))) as Float32Array[];
          return {
            steps: counts,
            firstMoments: values.slice(0, variables.length),
            secondMoments: values.slice(variables.length),
          };
        } finally {
          tf.dispose(clones);
        }
      };
      return read();
    },
    setState(state) {
      // Checked whole before anything is assigned: a refused state leaves the optimizer as it was.
      checkAdamWState(
        state,
        variables.map((variable) => variable.size),
      );
      for (let index = 0; index < variables.length; index++) {
        steps[index] = state.steps[index]!;
        const shape = variables[index]!.shape;
        tf.tidy(() => {
          firstMoments[index]!.assign(tf.tensor(state.firstMoments[index]!, shape, 'float32'));
          secondMoments[index]!.assign(tf.tensor(state.secondMoments[index]!, shape, 'float32'));
        });
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose([...firstMoments, ...secondMoments]);
    },
  };
}
