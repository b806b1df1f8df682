import { checkOptionsObject, InvalidArgumentError } from '@lm-objectives/core';

/**
 * A learning rate as a function of the step: `step` is the number of optimizer updates already
 * applied (0 for the first update), so a resumed run continues the schedule exactly.
 */
export type LearningRateSchedule = (step: number) => number;

/** The shape of the decay after warmup. */
export type LearningRateDecay = 'cosine' | 'linear' | 'constant';

/** Options of {@link createLearningRateSchedule}. */
export interface LearningRateScheduleOptions {
  /** The learning rate at the end of warmup, $\eta_{\max}$. */
  peak: number;
  /** The number of updates the schedule spans, $T$ (usually the run's total steps). */
  totalSteps: number;
  /** Linear warmup length $W$ in updates. Default 0. */
  warmupSteps?: number;
  /** Decay from $\eta_{\max}$ to $\eta_{\min}$ over the updates after warmup. Default `'cosine'`. */
  decay?: LearningRateDecay;
  /** The floor $\eta_{\min}$ reached at update $T$. Default 0. */
  minimum?: number;
  /**
   * Where warmup starts. `'first-step'` (default): update $s$ uses $\eta_{\max}(s+1)/W$, so the
   * first update already moves the weights. `'zero'`: $\eta_{\max}\,s/W$, exactly Hugging Face's
   * `get_cosine_schedule_with_warmup`/`get_linear_schedule_with_warmup` (their first update has a
   * learning rate of 0).
   */
  warmupFrom?: 'first-step' | 'zero';
}

function invalid(argumentName: string, expected: string, received: unknown, fix: string) {
  return new InvalidArgumentError({
    functionName: 'createLearningRateSchedule',
    argumentName,
    expected,
    received,
    fix,
  });
}

/**
 * Warmup followed by cosine, linear or no decay. For update $s$ (0-based), with warmup $W$, total
 * $T$ and progress $p = \min\!\big(1, \frac{s - W}{\max(1, T - W)}\big)$:
 *
 * - warmup ($s < W$): $\eta_s = \eta_{\max}\,(s+1)/W$ (or $\eta_{\max}\,s/W$ with `warmupFrom: 'zero'`);
 * - cosine: $\eta_s = \eta_{\min} + (\eta_{\max} - \eta_{\min})\,\tfrac12\,(1 + \cos \pi p)$;
 * - linear: $\eta_s = \eta_{\min} + (\eta_{\max} - \eta_{\min})(1 - p)$;
 * - constant: $\eta_s = \eta_{\max}$.
 *
 * Past $T$ the rate stays at $\eta_{\min}$ (Hugging Face's cosine would rise again).
 *
 * @example
 * const schedule = createLearningRateSchedule({ peak: 3e-4, warmupSteps: 100, totalSteps: 5000 });
 * schedule(0); // 3e-6
 */
export function createLearningRateSchedule(
  options: LearningRateScheduleOptions,
): LearningRateSchedule {
  checkOptionsObject(
    { functionName: 'createLearningRateSchedule', argumentName: 'options' },
    options,
    {
      required: ['peak', 'totalSteps'],
      allowed: ['peak', 'totalSteps', 'warmupSteps', 'decay', 'minimum', 'warmupFrom'],
    },
  );
  const {
    peak,
    totalSteps,
    warmupSteps = 0,
    decay = 'cosine',
    minimum = 0,
    warmupFrom = 'first-step',
  } = options;
  if (!(Number.isFinite(peak) && peak > 0)) {
    throw invalid('options.peak', 'a finite number > 0', peak, 'pass the peak rate, e.g. 3e-4.');
  }
  if (!(Number.isInteger(totalSteps) && totalSteps >= 1)) {
    throw invalid(
      'options.totalSteps',
      'an integer ≥ 1',
      totalSteps,
      'pass the number of optimizer updates of the run.',
    );
  }
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw invalid(
      'options.warmupSteps',
      `an integer in [0, totalSteps = ${totalSteps}]`,
      warmupSteps,
      'pass a warmup no longer than the run (commonly 1–10% of it).',
    );
  }
  if (!['cosine', 'linear', 'constant'].includes(decay)) {
    throw invalid(
      'options.decay',
      "'cosine', 'linear' or 'constant'",
      decay,
      'choose one of the listed decays.',
    );
  }
  if (!(Number.isFinite(minimum) && minimum >= 0 && minimum <= peak)) {
    throw invalid(
      'options.minimum',
      `a number in [0, peak = ${peak}]`,
      minimum,
      'pass a floor below the peak (often peak / 10), or 0.',
    );
  }
  if (warmupFrom !== 'first-step' && warmupFrom !== 'zero') {
    throw invalid(
      'options.warmupFrom',
      "'first-step' or 'zero'",
      warmupFrom,
      "use 'zero' only to reproduce Hugging Face's schedules exactly.",
    );
  }
  const warmupOffset = warmupFrom === 'zero' ? 0 : 1;
  return (step: number): number => {
    if (!(Number.isInteger(step) && step >= 0)) {
      throw new InvalidArgumentError({
        functionName: 'LearningRateSchedule',
        argumentName: 'step',
        expected: 'an integer ≥ 0 (updates already applied)',
        received: step,
        fix: 'pass the number of completed optimizer updates.',
      });
    }
    if (step < warmupSteps) return (peak * (step + warmupOffset)) / warmupSteps;
    if (decay === 'constant') return peak;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    const factor = decay === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
    return minimum + (peak - minimum) * factor;
  };
}

/** A learning rate given as a number or a schedule, as a schedule. */
export function toLearningRateSchedule(
  learningRate: number | LearningRateSchedule,
  functionName: string,
): LearningRateSchedule {
  if (typeof learningRate === 'function') return learningRate;
  if (!(Number.isFinite(learningRate) && learningRate >= 0)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.learningRate',
      expected: 'a finite number ≥ 0 or a schedule (step) => rate',
      received: learningRate,
      fix: 'pass e.g. 1e-3, or createLearningRateSchedule({ peak, warmupSteps, totalSteps }).',
    });
  }
  return () => learningRate;
}
