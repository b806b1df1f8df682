import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { defaultWeightDecayFilter, type WeightDecayFilter } from './weight-decay-filter';

/** AdamW hyper-parameters (the learning rate is passed per update, from the schedule). */
export interface AdamWOptions {
  /** $\beta_1$, the first-moment decay. Default 0.9. */
  beta1?: number;
  /** $\beta_2$, the second-moment decay. Default 0.999. */
  beta2?: number;
  /** $\varepsilon$, added to $\sqrt{\hat v}$. Default 1e-8. */
  epsilon?: number;
  /** $\lambda$, the decoupled weight decay. Default 0.01 (PyTorch's `AdamW` default). */
  weightDecay?: number;
  /** Which variables get weight decay. Default {@link defaultWeightDecayFilter}. */
  weightDecayFilter?: WeightDecayFilter;
  /** Embedding tables among the variables (excluded from decay by the default filter). */
  embeddings?: readonly tf.Variable[];
}

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

function checkRate(name: string, value: number, low: number, high: number, fix: string): number {
  if (!(Number.isFinite(value) && value >= low && value < high)) {
    throw new InvalidArgumentError({
      functionName: 'createAdamW',
      argumentName: `options.${name}`,
      expected: `a number in [${low}, ${high})`,
      received: value,
      fix,
    });
  }
  return value;
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
  const beta1 = checkRate('beta1', options.beta1 ?? 0.9, 0, 1, 'pass e.g. 0.9.');
  const beta2 = checkRate(
    'beta2',
    options.beta2 ?? 0.999,
    0,
    1,
    'pass e.g. 0.999 (0.95 for large LMs).',
  );
  const epsilon = checkRate(
    'epsilon',
    options.epsilon ?? 1e-8,
    0,
    Number.POSITIVE_INFINITY,
    'pass e.g. 1e-8.',
  );
  const weightDecay = checkRate(
    'weightDecay',
    options.weightDecay ?? 0.01,
    0,
    Number.POSITIVE_INFINITY,
    'pass e.g. 0.01 or 0.1, or 0 to turn decay off.',
  );
  const filter = options.weightDecayFilter ?? defaultWeightDecayFilter;
  const embeddings = new Set(options.embeddings ?? []);
  const decays = variables.map((variable) =>
    filter({ variable, isEmbedding: embeddings.has(variable) || /embed/i.test(variable.name) }),
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
      const sizes = variables.map((variable) => variable.size);
      const ok =
        state.steps.length === variables.length &&
        state.firstMoments.length === variables.length &&
        state.secondMoments.length === variables.length &&
        sizes.every(
          (size, index) =>
            state.firstMoments[index]!.length === size &&
            state.secondMoments[index]!.length === size,
        );
      if (!ok) {
        throw new InvalidArgumentError({
          functionName: 'AdamWOptimizer.setState',
          argumentName: 'state',
          expected: `moments for ${variables.length} variables of sizes [${sizes.join(', ')}]`,
          received: state,
          receivedDescription: `moments for ${state.firstMoments.length} variables of sizes [${state.firstMoments.map((m) => m.length).join(', ')}]`,
          fix: 'restore a state saved from an optimizer over the same variables.',
        });
      }
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
