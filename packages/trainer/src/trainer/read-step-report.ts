import * as tf from '@tensorflow/tfjs-core';
import type { PartReport } from './progress-event';

/** A window's loss, parts and metrics, read back as numbers. */
export interface StepReport<PartName extends string> {
  readonly loss: number;
  /** The values of the `extra` scalars, in order (the step passes the gradient norm). */
  readonly extra: readonly number[];
  readonly parts: Readonly<Record<PartName, PartReport>>;
  readonly metrics: Readonly<Record<string, number>>;
}

/** The scalars of a window, stacked for one read-back, and how to turn the values into a report. */
export interface StackedStepScalars<PartName extends string> {
  /** float32 `[1 + extra + 2·parts + metrics]`; the caller frees it. */
  readonly values: tf.Tensor1D;
  /** The report from the values read back. */
  decode(numbers: ArrayLike<number>): StepReport<PartName>;
}

/**
 * Stacks a window's scalars so that they are read back in **one** transfer (as float32, since an
 * objective may report an int32 count or metric). Each part's loss is $\mathrm{sum}_p / N_p$ over
 * the window (0 when $N_p = 0$). The scalars stay the caller's.
 */
export function stackStepScalars<PartName extends string>(
  partNames: readonly PartName[],
  loss: tf.Scalar,
  extra: readonly tf.Scalar[],
  parts: Readonly<Record<PartName, { readonly sum: tf.Scalar; readonly count: tf.Scalar }>>,
  counts: Readonly<Record<PartName, number>>,
  metrics: Readonly<Record<string, tf.Scalar>>,
): StackedStepScalars<PartName> {
  const metricNames = Object.keys(metrics);
  const values = tf.tidy(() =>
    tf.stack(
      [
        loss,
        ...extra,
        ...partNames.flatMap((part) => [parts[part].sum, parts[part].count]),
        ...metricNames.map((name) => metrics[name]!),
      ].map((scalar) => (scalar.dtype === 'float32' ? scalar : tf.cast(scalar, 'float32'))),
    ),
  ) as tf.Tensor1D;
  const decode = (numbers: ArrayLike<number>): StepReport<PartName> => {
    let cursor = 1 + extra.length;
    const partReports = {} as Record<PartName, PartReport>;
    for (const part of partNames) {
      const sum = numbers[cursor++]!;
      const count = numbers[cursor++]!;
      const normaliser = counts[part];
      partReports[part] = { loss: normaliser > 0 ? sum / normaliser : 0, sum, count };
    }
    const metricReports: Record<string, number> = {};
    for (const name of metricNames) metricReports[name] = numbers[cursor++]!;
    return {
      loss: numbers[0]!,
      extra: Array.from({ length: extra.length }, (_, index) => numbers[1 + index]!),
      parts: partReports,
      metrics: metricReports,
    };
  };
  return { values, decode };
}
