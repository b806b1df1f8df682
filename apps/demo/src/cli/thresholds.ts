import type { DemoTaskId } from '../tasks/demo-task';

/**
 * The pass rule of every phase: the final evaluation loss must be at most `factor` times the
 * initial one (both on the phase's fixed evaluation batch). The factors are what the default
 * budget reaches with a margin on this 2-core machine (see the README for the measured values).
 */
export const LOSS_FACTORS: Readonly<Record<DemoTaskId, number>> = Object.freeze({
  bert: 0.85,
  glm: 0.85,
  causal: 0.85,
  lora: 0.8,
  prefix: 0.95,
});

/** LoRA must train less than this share of the parameters. */
export const LORA_MAX_TRAINABLE_SHARE = 0.1;

/** One pass/fail check of a phase. */
export interface PhaseCheck {
  /** What is checked, e.g. `'final ≤ 0.85 × initial'`. */
  readonly name: string;
  readonly passed: boolean;
  /** The measured value, e.g. `'6.91 ≤ 7.40'`. */
  readonly detail: string;
}

/** The loss check of a phase. */
export function lossCheck(id: DemoTaskId, initialLoss: number, finalLoss: number): PhaseCheck {
  const factor = LOSS_FACTORS[id];
  const limit = factor * initialLoss;
  return {
    name: `final ≤ ${factor} × initial`,
    passed: Number.isFinite(finalLoss) && finalLoss <= limit,
    detail: `${finalLoss.toFixed(3)} ≤ ${limit.toFixed(3)}`,
  };
}
