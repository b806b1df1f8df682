import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from '../conformance-check';
import { failIfAny } from '../internal/check-outcome';
import { euclideanNorm, formatNumber } from '../internal/numbers';

/** Every objective weight and model variable receives a finite, non-zero gradient. */
export const gradientReachCheck: ConformanceCheck = {
  id: 'gradient-reach',
  title: 'gradients of the loss reach every trainable weight of the objective and the model',
  run(context) {
    const weights = context.weights();
    const { gradients } = context.gradients(context.createBatch(), (result) => result.loss);
    const problems: string[] = [];
    gradients.forEach((gradient, index) => {
      const { label, variable } = weights[index]!;
      if (!variable.trainable) return;
      if (gradient == null) {
        problems.push(
          `no gradient reaches ${label}: the loss does not depend on it on the gradient tape (it is unused, or read through dataSync/arraySync or a copy). Use it through tensor ops in computeLoss, or stop listing it in trainableWeights() (for a model variable: in the fixture model's variables).`,
        );
      } else if (gradient.some((value) => !Number.isFinite(value))) {
        problems.push(`the gradient of ${label} contains NaN or Infinity.`);
      } else if (gradient.every((value) => value === 0)) {
        problems.push(
          `the gradient of ${label} is exactly zero on the fixture's batch: the weight is cut off (e.g. multiplied by 0, or behind tf.stopGradient-like ops) or the fixture never exercises it.`,
        );
      }
    });
    failIfAny(problems, 'Gradients do not reach every weight:');
    return undefined;
  },
};

function unit(values: Float64Array): Float64Array {
  const norm = euclideanNorm(values);
  return norm > 0 ? values.map((value) => value / norm) : values;
}

/** The directions the gradient of one weight is probed along, with a name for messages. */
function probeDirections(gradient: Float32Array, seed: number): [string, Float64Array][] {
  const size = gradient.length;
  const directions: [string, Float64Array][] = [];
  if (euclideanNorm(gradient) > 0) {
    directions.push(['the gradient’s own direction', unit(Float64Array.from(gradient))]);
  }
  const random = createRng(seed);
  for (let draw = 0; draw < 2; draw++) {
    const direction = new Float64Array(size).map(() => random.normal());
    directions.push([`random unit direction ${draw + 1}`, unit(direction)]);
  }
  let largest = 0;
  for (let index = 1; index < size; index++) {
    if (Math.abs(gradient[index]!) > Math.abs(gradient[largest]!)) largest = index;
  }
  for (const index of new Set([largest, random.int(0, size - 1)])) {
    const direction = new Float64Array(size);
    direction[index] = 1;
    directions.push([`element ${index}`, direction]);
  }
  return directions;
}

/**
 * Autodiff agrees with central differences, $\frac{L(w + hv) - L(w - hv)}{2h} \approx \nabla L \cdot v$
 * (Richardson-extrapolated over $h$ and $h/2$), along the gradient's direction, two random unit directions and two single elements of each weight.
 */
export const finiteDifferencesCheck: ConformanceCheck = {
  id: 'finite-differences',
  title: 'gradients match central finite differences on the tiny fixture',
  run(context) {
    const { gradientTolerance, finiteDifferenceStep: maximumStep, seed } = context.options;
    const batch = context.createBatch();
    const weights = context.weights();
    const { value: loss, gradients } = context.gradients(batch, (result) => result.loss);
    const lossAt = () => context.evaluate(batch).loss;
    const problems: string[] = [];
    let worst = { ratio: 0, label: '' };
    weights.forEach(({ variable, label }, index) => {
      const gradient = gradients[index];
      // A weight without a gradient is the gradient-reach check's finding, not this one's.
      if (gradient == null || !variable.trainable) return;
      const original = Float32Array.from(variable.dataSync() as Float32Array);
      const norm = euclideanNorm(gradient);
      // A step that moves the loss by about 2% of its size: large enough to rise above float32
      // rounding, small enough for the curvature (LayerNorm over tiny activations is steep).
      const step = Math.min(
        maximumStep,
        (0.02 * Math.max(1, Math.abs(loss))) / Math.max(norm, 1e-12),
      );
      try {
        for (const [name, direction] of probeDirections(gradient, seed + index)) {
          const lossAlong = (distance: number) => {
            const values = original.map((value, at) => value + distance * direction[at]!);
            tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
            return lossAt();
          };
          const difference = (h: number) => (lossAlong(h) - lossAlong(-h)) / (2 * h);
          // Richardson extrapolation cancels the h² error term of central differences.
          const numeric = (4 * difference(step / 2) - difference(step)) / 3;
          let analytic = 0;
          for (let at = 0; at < gradient.length; at++) analytic += gradient[at]! * direction[at]!;
          // float32 rounding of the losses, amplified by 1/h, sets a floor on what is measurable.
          const noise = (3 * 64 * 2 ** -23 * Math.max(1, Math.abs(loss))) / step;
          const allowed = gradientTolerance * norm + noise;
          const ratio = Math.abs(numeric - analytic) / Math.max(norm, 1e-30);
          if (ratio > worst.ratio) worst = { ratio, label };
          if (!(Math.abs(numeric - analytic) <= allowed)) {
            problems.push(
              `${label}, along ${name}: autodiff gives ${formatNumber(analytic)}, finite differences (central, h = ${formatNumber(step)}, Richardson-extrapolated) give ${formatNumber(numeric)}; difference ${formatNumber(Math.abs(numeric - analytic))} > allowed ${formatNumber(allowed)} (${gradientTolerance} × ‖gradient‖ ${formatNumber(norm)} + float32 noise).`,
            );
            return;
          }
        }
      } finally {
        tf.tidy(() => variable.assign(tf.tensor(original, variable.shape, 'float32')));
      }
    });
    failIfAny(
      problems,
      'Gradients disagree with finite differences. Check custom gradients (tf.customGrad), values read off the tape that feed the loss, and non-differentiable steps:',
    );
    return `largest disagreement ${formatNumber(worst.ratio)} × ‖gradient‖ (${worst.label || 'none'}).`;
  },
};
