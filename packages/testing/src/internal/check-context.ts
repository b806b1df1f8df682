import {
  createRng,
  describeValue,
  isTensor,
  type ObjectiveBatchV1,
  type ObjectiveLossResult,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AnyObjective, ConformanceFixture, ConformanceOptions } from '../conformance-types';
import { describeThrown, fail } from './check-outcome';
import { tidyPlain } from './tidy-plain';

/** {@link ConformanceOptions} with every default filled in. */
export interface ResolvedConformanceOptions {
  readonly seed: number;
  readonly partWeights: Readonly<Record<string, number>>;
  readonly normalisation: 'per-part' | 'shared';
  readonly valueTolerance: number;
  readonly gradientTolerance: number;
  readonly finiteDifferenceStep: number;
}

/** One part of a loss result, read into numbers. */
export interface PartValues {
  readonly loss: number;
  readonly sum: number;
  readonly count: number;
}

/** A loss result read into numbers. */
export interface LossValues {
  readonly loss: number;
  readonly lossShape: readonly number[];
  readonly lossDtype: string;
  readonly parts: Readonly<Record<string, PartValues>>;
  readonly metrics: Readonly<Record<string, number>>;
}

/** A weight the gradient checks follow, with the name the messages use. */
export interface LabelledWeight {
  readonly variable: tf.Variable;
  readonly label: string;
}

/** The gradients of a scalar with respect to every labelled weight (`null`: not connected). */
export interface WeightGradients {
  readonly value: number;
  readonly gradients: readonly (Float32Array | null)[];
}

/** What every check receives: the objective, the fixture, the options, and shared helpers. */
export interface CheckContext {
  readonly objective: AnyObjective;
  // biome-ignore lint/suspicious/noExplicitAny: checks work on fixtures of every type.
  readonly fixture: ConformanceFixture<any, any, any>;
  readonly options: ResolvedConformanceOptions;
  /** `createBatch(examples, { random: createRng(seed) })`, failing the check with the thrown message. */
  createBatch(seed?: number, examples?: readonly unknown[]): ObjectiveBatchV1;
  /** The main batch and, when the fixture has zero-count examples, theirs, each with a label for messages. */
  fixtureBatches(): [label: string, batch: ObjectiveBatchV1][];
  /** Runs the model and the tensor side in a `tf.tidy` and reads every scalar. */
  evaluate(batch: ObjectiveBatchV1, numItemsInBatch?: Record<string, number>): LossValues;
  /** The objective's `trainableWeights()` and the model's variables, each once. */
  weights(): readonly LabelledWeight[];
  /** Gradients of `select(result)` with respect to {@link CheckContext.weights}, read into arrays. */
  gradients(
    batch: ObjectiveBatchV1,
    select: (result: ObjectiveLossResult) => tf.Scalar,
  ): WeightGradients;
}

function readScalar(value: unknown, where: string): number {
  if (!isTensor(value)) {
    fail(
      `computeLoss returned ${where} = ${describeValue(value)}, which is not a tensor. Return a tf.Scalar (e.g. tf.scalar(0) for an empty part), never a number.`,
    );
  }
  if (value.isDisposed) {
    fail(
      `computeLoss returned ${where} already disposed. Return tensors the caller owns; do not dispose them inside computeLoss (tf.tidy keeps the returned ones).`,
    );
  }
  if (value.rank !== 0) {
    fail(
      `computeLoss returned ${where} of shape [${value.shape.join(', ')}]; expected a scalar. Reduce it (tf.sum / tf.mean) before returning.`,
    );
  }
  return value.dataSync()[0] as number;
}

/** Reads a loss result into numbers, failing with a precise message on a malformed result. */
export function readLossResult(result: unknown, partNames: readonly string[]): LossValues {
  if (result == null || typeof result !== 'object') {
    fail(
      `computeLoss returned ${describeValue(result)}; expected { loss, parts, metrics }. Return an ObjectiveLossResult.`,
    );
  }
  const { loss, parts, metrics } = result as Partial<ObjectiveLossResult>;
  if (!isTensor(loss)) {
    fail('computeLoss returned no tensor `loss`. Return the scalar to minimise as `loss`.');
  }
  const lossValues = loss.dataSync();
  const partValues: Record<string, PartValues> = {};
  for (const name of partNames) {
    const part = (parts as Record<string, Partial<PartValues>> | undefined)?.[name];
    if (part == null) {
      fail(
        `computeLoss returned no part '${name}' although partNames lists it. Return parts.${name} = { loss, sum, count } (tf.scalar(0) for each when the batch has none).`,
      );
    }
    partValues[name] = {
      loss: readScalar(part.loss, `parts.${name}.loss`),
      sum: readScalar(part.sum, `parts.${name}.sum`),
      count: readScalar(part.count, `parts.${name}.count`),
    };
  }
  const metricValues: Record<string, number> = {};
  for (const [name, metric] of Object.entries(metrics ?? {})) {
    metricValues[name] = readScalar(metric, `metrics.${name}`);
  }
  return {
    loss: lossValues.length === 1 ? (lossValues[0] as number) : Number.NaN,
    lossShape: loss.shape,
    lossDtype: loss.dtype,
    parts: partValues,
    metrics: metricValues,
  };
}

function resolveOptions(options: ConformanceOptions): ResolvedConformanceOptions {
  return {
    seed: options.seed ?? 1,
    partWeights: options.partWeights ?? {},
    normalisation: options.normalisation ?? 'per-part',
    valueTolerance: options.valueTolerance ?? 1e-5,
    gradientTolerance: options.gradientTolerance ?? 0.02,
    finiteDifferenceStep: options.finiteDifferenceStep ?? 1e-2,
  };
}

/** Builds the {@link CheckContext} of one run. */
export function createCheckContext(
  objective: AnyObjective,
  // biome-ignore lint/suspicious/noExplicitAny: fixtures of every type.
  fixture: ConformanceFixture<any, any, any>,
  options: ConformanceOptions,
): CheckContext {
  const resolved = resolveOptions(options);
  const context: CheckContext = {
    objective,
    fixture,
    options: resolved,
    createBatch(seed = resolved.seed, examples = fixture.examples) {
      try {
        return objective.createBatch(examples, { random: createRng(seed) });
      } catch (error) {
        return fail(
          `createBatch threw on the fixture's examples: ${describeThrown(error)}. Fix the data side (or the fixture's examples).`,
        );
      }
    },
    fixtureBatches() {
      const batches: [string, ObjectiveBatchV1][] = [['the main batch', context.createBatch()]];
      if (fixture.zeroCountExamples) {
        batches.push([
          'the zero-count batch',
          context.createBatch(resolved.seed, fixture.zeroCountExamples),
        ]);
      }
      return batches;
    },
    evaluate(batch, numItemsInBatch) {
      return tidyPlain(() => {
        const outputs = fixture.model.apply(batch);
        const result = objective.computeLoss({
          outputs,
          batch,
          ...(numItemsInBatch === undefined ? {} : { numItemsInBatch }),
        });
        return readLossResult(result, objective.partNames);
      });
    },
    weights() {
      const seen = new Set<number>();
      const weights: LabelledWeight[] = [];
      const add = (variable: tf.Variable, label: string) => {
        if (seen.has(variable.id)) return;
        seen.add(variable.id);
        weights.push({ variable, label });
      };
      for (const variable of objective.trainableWeights()) {
        add(variable, `objective weight '${variable.name}' (from trainableWeights())`);
      }
      for (const variable of fixture.model.variables) {
        add(variable, `model variable '${variable.name}'`);
      }
      return weights;
    },
    gradients(batch, select) {
      const variables = context.weights().map((weight) => weight.variable);
      const forward = () =>
        select(objective.computeLoss({ outputs: fixture.model.apply(batch), batch }));
      // A forward pass off the tape first: an objective that throws would otherwise leave the
      // tensors tfjs saved for the backward pass on an abandoned tape, where nothing frees them.
      tf.tidy(() => {
        forward();
      });
      return tidyPlain(() => {
        const { value, grads } = tf.engine().gradients(forward, variables, undefined, true);
        return {
          value: value.dataSync()[0] as number,
          gradients: grads.map((gradient) =>
            gradient == null ? null : Float32Array.from(gradient.dataSync() as Float32Array),
          ),
        };
      });
    },
  };
  return context;
}
