import type { ProgressPoint } from './protocol';

/** How the loss moved over a run, as the chart's caption and the e2e test read it. */
export interface LossTrend {
  /** Mean loss of the first `window` points. */
  readonly start: number;
  /** Mean loss of the last `window` points. */
  readonly end: number;
  /** Points averaged at each end. */
  readonly window: number;
  /** `true` when `end < start`. */
  readonly fell: boolean;
}

/**
 * Compares the mean loss of the first and the last `window` points, where
 * $\text{window} = \max(1, \min(5, \lfloor n / 3 \rfloor))$: single steps are noisy (each step sees
 * a different batch), so one lucky batch should not decide whether "the loss fell". Returns
 * `undefined` with fewer than two points.
 */
export function lossTrend(points: readonly ProgressPoint[]): LossTrend | undefined {
  if (points.length < 2) return undefined;
  const window = Math.max(1, Math.min(5, Math.floor(points.length / 3)));
  const mean = (slice: readonly ProgressPoint[]) =>
    slice.reduce((total, point) => total + point.loss, 0) / slice.length;
  const start = mean(points.slice(0, window));
  const end = mean(points.slice(points.length - window));
  return { start, end, window, fell: end < start };
}

/** The chart caption: `'Loss fell from 8.01 to 6.52 over 30 steps (mean of 5 steps at each end).'` */
export function describeLossTrend(points: readonly ProgressPoint[]): string {
  const trend = lossTrend(points);
  if (!trend) return points.length === 1 ? 'One step so far.' : 'No steps yet.';
  const verb = trend.fell ? 'fell' : 'did not fall';
  const steps = points.length;
  return `Loss ${verb} from ${trend.start.toFixed(2)} to ${trend.end.toFixed(2)} over ${steps} steps (mean of ${trend.window} ${trend.window === 1 ? 'step' : 'steps'} at each end).`;
}
