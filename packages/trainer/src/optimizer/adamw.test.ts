import {
  decodeArray,
  describeEachBackend,
  type EncodedArray,
  expectRelativelyClose,
  readGolden,
} from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createLearningRateSchedule } from '../schedule/learning-rate-schedule';
import { createAdamW } from './adamw';
import { clipByGlobalNorm } from './clip-by-global-norm';

interface GoldenStep {
  learningRate: number;
  gradientNorm: number;
  gradients: Partial<Record<ParameterName, EncodedArray>>;
  after: Record<ParameterName, EncodedArray>;
}
type ParameterName = 'kernel' | 'bias' | 'embedding';
interface GoldenCase {
  name: string;
  options: {
    beta1: number;
    beta2: number;
    epsilon: number;
    peak: number;
    minimum: number;
    warmup: number;
    total: number;
    max_norm: number | null;
    weight_decay: number;
    decayed: ParameterName[];
  };
  initial: Record<ParameterName, EncodedArray>;
  steps: GoldenStep[];
}

const golden = readGolden<{ cases: GoldenCase[] }>(
  new URL('./__fixtures__/adamw.golden.json', import.meta.url),
);
const NAMES: ParameterName[] = ['kernel', 'bias', 'embedding'];

function variableOf(encoded: EncodedArray): tf.Variable {
  return tf.tidy(() =>
    tf.variable(tf.tensor(Float32Array.from(decodeArray(encoded)), encoded.shape)),
  );
}

describeEachBackend('createAdamW', () => {
  it('matches a hand-computed AdamW update of one weight over two steps', () => {
    // θ0 = 1, λ = 0.1, η = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, gradients 0.5 then −0.25.
    const theta = tf.tidy(() => tf.variable(tf.tensor2d([[1]])));
    const optimizer = createAdamW([theta], { weightDecay: 0.1, weightDecayFilter: () => true });
    const g1 = tf.tensor2d([[0.5]]);
    const g2 = tf.tensor2d([[-0.25]]);
    optimizer.applyGradients([g1], 0.1);
    // m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25: θ = 1·(1 − 0.01) − 0.1·0.5/(0.5 + 1e-8)
    const first = 0.99 - (0.1 * 0.5) / (0.5 + 1e-8);
    expect(theta.dataSync()[0]).toBeCloseTo(first, 6);
    optimizer.applyGradients([g2], 0.1);
    // m = 0.9·0.05 − 0.025 = 0.02, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225
    const m = 0.02;
    const v = 0.00031225;
    const mHat = m / (1 - 0.9 ** 2);
    const denominator = Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8;
    const second = first * 0.99 - (0.1 * mHat) / denominator;
    expect(theta.dataSync()[0]).toBeCloseTo(second, 6);
    tf.dispose([g1, g2, theta]);
    optimizer.dispose();
  });

  it('decays weights independently of the gradient (decoupled): a zero gradient still shrinks a decayed weight', () => {
    const kernel = tf.tidy(() => tf.variable(tf.fill([2, 2], 2)));
    const bias = tf.tidy(() => tf.variable(tf.fill([2], 2)));
    const optimizer = createAdamW([kernel, bias], { weightDecay: 0.5 });
    const zeros = [tf.zeros([2, 2]), tf.zeros([2])];
    optimizer.applyGradients(zeros, 0.1);
    // θ(1 − ηλ) = 2 · 0.95 for the kernel; the bias (rank 1) is excluded from decay by default.
    expect(Array.from(kernel.dataSync())).toEqual([1.9, 1.9, 1.9, 1.9].map(Math.fround));
    expect(Array.from(bias.dataSync())).toEqual([2, 2]);
    expect(optimizer.decays).toEqual([true, false]);
    tf.dispose([...zeros, kernel, bias]);
    optimizer.dispose();
  });

  it('excludes biases, norms and embeddings from weight decay by default', () => {
    const make = (shape: number[], name: string) =>
      tf.tidy(() => tf.variable(tf.zeros(shape), true, `${name}-${Math.random()}`));
    const variables = [
      make([4, 3], 'dense/kernel'),
      make([3], 'dense/bias'),
      make([3], 'layer_norm/gamma'),
      make([3, 3], 'final_norm/scale'),
      make([10, 4], 'token_embeddings'),
      make([10, 4], 'listed'),
      make([2, 3, 4], 'conv/kernel'),
    ];
    const optimizer = createAdamW(variables, { embeddings: [variables[5]!] });
    expect(optimizer.decays).toEqual([true, false, false, false, false, false, true]);
    optimizer.dispose();
    tf.dispose(variables);
  });

  it('keeps the tensor count flat across updates', () => {
    const weight = tf.tidy(() => tf.variable(tf.ones([3, 2])));
    const optimizer = createAdamW([weight]);
    const gradient = tf.ones([3, 2]);
    optimizer.applyGradients([gradient], 0.01);
    const count = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) optimizer.applyGradients([gradient], 0.01);
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([gradient, weight]);
    optimizer.dispose();
  });

  it('restores its state exactly: two optimizers continue identically', async () => {
    const a = tf.tidy(() => tf.variable(tf.tensor2d([[0.3, -0.2]])));
    const b = tf.tidy(() => tf.variable(tf.tensor2d([[0.3, -0.2]])));
    const first = createAdamW([a]);
    const second = createAdamW([b]);
    const gradient = tf.tensor2d([[0.1, 0.4]]);
    first.applyGradients([gradient], 0.01);
    first.applyGradients([gradient], 0.01);
    second.setState(await first.getState());
    b.assign(a);
    first.applyGradients([gradient], 0.01);
    second.applyGradients([gradient], 0.01);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect((await second.getState()).steps).toEqual([3]);
    expect(() => second.setState({ steps: [], firstMoments: [], secondMoments: [] })).toThrow(
      /AdamWOptimizer.setState: argument 'state.steps' is invalid. Expected one entry per variable \(1\)/,
    );
    // Checked whole before anything is restored: a bad count or moment changes nothing.
    const saved = await second.getState();
    const bad = [
      { ...saved, steps: [-1] },
      { ...saved, steps: [1.5] },
      { ...saved, secondMoments: [saved.secondMoments[0]!.map(() => -1)] },
      { ...saved, firstMoments: [saved.firstMoments[0]!.map(() => Number.NaN)] },
    ];
    for (const state of bad)
      expect(() => second.setState(state)).toThrow(/AdamWOptimizer.setState/);
    expect(await second.getState()).toEqual(saved);
    tf.dispose([gradient, a, b]);
    first.dispose();
    second.dispose();
  });

  it('refuses out-of-range hyper-parameters with the argument named', () => {
    expect(() => createAdamW([], { beta1: 1 })).toThrow(/argument 'options.beta1' is invalid/);
    expect(() => createAdamW([], { weightDecay: -1 })).toThrow(/options.weightDecay/);
  });

  for (const goldenCase of golden.cases) {
    it(`matches PyTorch's AdamW, clip_grad_norm_ and a Hugging Face schedule step by step: ${goldenCase.name}`, () => {
      const { options } = goldenCase;
      const variables = NAMES.map((name) => variableOf(goldenCase.initial[name]));
      const optimizer = createAdamW(variables, {
        beta1: options.beta1,
        beta2: options.beta2,
        epsilon: options.epsilon,
        weightDecay: options.weight_decay,
        weightDecayFilter: ({ variable }) =>
          options.decayed.includes(NAMES[variables.indexOf(variable)]!),
      });
      const schedule = createLearningRateSchedule({
        peak: options.peak,
        minimum: options.minimum,
        warmupSteps: options.warmup,
        totalSteps: options.total,
        warmupFrom: 'zero',
      });
      goldenCase.steps.forEach((expected, step) => {
        const gradients = NAMES.map((name) => {
          const encoded = expected.gradients[name];
          return encoded ? tf.tensor(Float32Array.from(decodeArray(encoded)), encoded.shape) : null;
        });
        const learningRate = schedule(step);
        expect(learningRate).toBeCloseTo(expected.learningRate, 12);
        const { gradients: clipped, norm } = clipByGlobalNorm(
          gradients,
          options.max_norm ?? Number.POSITIVE_INFINITY,
        );
        expectRelativelyClose(
          norm.dataSync(),
          [expected.gradientNorm],
          1e-6,
          `norm at step ${step}`,
        );
        optimizer.applyGradients(clipped, learningRate);
        NAMES.forEach((name, index) => {
          // Relative to the largest weight: float32 arithmetic against PyTorch in float64.
          expectRelativelyClose(
            variables[index]!.dataSync(),
            decodeArray(expected.after[name]),
            1e-6,
            `${name} after step ${step + 1}`,
          );
        });
        tf.dispose(
          [...gradients, ...clipped].filter((tensor): tensor is tf.Tensor => tensor != null),
        );
        norm.dispose();
      });
      optimizer.dispose();
      tf.dispose(variables);
    });
  }
});
