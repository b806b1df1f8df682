import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runConformanceCheck } from './check-objective-conformance';
import { CONFORMANCE_CHECKS } from './conformance-checks';
import type {
  AnyObjective,
  ConformanceCheckId,
  ConformanceFixture,
  ConformanceOptions,
} from './conformance-types';

/** The backends the vitest suite runs on. */
export type ConformanceBackend = 'cpu' | 'wasm';

/** {@link ConformanceOptions} plus the backends to run on. */
export interface DescribeConformanceOptions extends ConformanceOptions {
  /** Default both, `['cpu', 'wasm']`. A backend that is not installed is reported as skipped. */
  readonly backends?: readonly ConformanceBackend[];
  /**
   * Known violations, each with the reason: the check is declared with `it.fails`, so it passes
   * while the objective still fails it and turns red the day the objective is fixed (then remove
   * the entry). Unlike `skip`, the check keeps running.
   */
  readonly expectedFailures?: Partial<Readonly<Record<ConformanceCheckId, string>>>;
}

const BACKEND_PACKAGES: Record<ConformanceBackend, string> = {
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** Registers (by importing its package, if needed) and selects a backend; returns why not, or `undefined`. */
async function activateBackend(backend: ConformanceBackend): Promise<string | undefined> {
  if (tf.findBackendFactory(backend) == null) {
    try {
      await import(/* @vite-ignore */ BACKEND_PACKAGES[backend]);
    } catch {
      return `the ${backend} backend is not installed: add ${BACKEND_PACKAGES[backend]} to your devDependencies and import it in your vitest setup file.`;
    }
  }
  try {
    if (!(await tf.setBackend(backend))) return `the ${backend} backend failed to initialise.`;
    await tf.ready();
  } catch (error) {
    return `the ${backend} backend failed to initialise: ${String(error)}`;
  }
  return undefined;
}

/** A value, or a function that makes it once the backend is ready. */
export type ValueOrFactory<T> = T | (() => T);

function resolve<T>(value: ValueOrFactory<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

/**
 * Declares the conformance suite in vitest: one `describe` per backend (cpu and wasm), one `it` per
 * check, each failing with the check's message (what is wrong and how to fix it). Call it at the
 * top level of a test file; your vitest setup must register tfjs gradients (import
 * `@tensorflow/tfjs`, or `@tensorflow/tfjs-core/dist/register_all_gradients`).
 *
 * Pass the objective and the fixture as functions when they create tensors (weights): they are
 * then called once per backend, after it is ready (the wasm backend initialises asynchronously),
 * and the objective and the model are disposed after the backend's checks.
 *
 * @typeParam Example one example as the objective's `createBatch` takes it.
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the fixture's model hands to `computeLoss`.
 * @example
 * describeObjectiveConformance('acme/replaced-token-detection', objective, {
 *   examples: [[5, 6, 7, 8], [9, 10, 11]],
 *   model: tinyModel.logitModel('inputIds'),
 * });
 */
export function describeObjectiveConformance<Example, Batch, Outputs>(
  name: string,
  objective: ValueOrFactory<AnyObjective>,
  fixture: ValueOrFactory<ConformanceFixture<Example, Batch, Outputs>>,
  options: DescribeConformanceOptions = {},
): void {
  const { backends = ['cpu', 'wasm'], expectedFailures = {}, ...checkOptions } = options;
  for (const backend of backends) {
    describe(`${name} conforms to LossObjective v1 [${backend}]`, () => {
      let unavailable: string | undefined;
      let subject: AnyObjective | undefined;
      let data: ConformanceFixture<Example, Batch, Outputs> | undefined;
      beforeAll(async () => {
        unavailable = await activateBackend(backend);
        if (unavailable) return;
        subject = resolve(objective);
        data = resolve(fixture);
      });
      afterAll(() => {
        // Only what this suite made: objects passed in directly belong to the caller.
        if (typeof objective === 'function') subject?.dispose();
        if (typeof fixture === 'function') data?.model.dispose?.();
      });
      for (const check of CONFORMANCE_CHECKS) {
        const knownViolation = expectedFailures[check.id];
        const declare = knownViolation === undefined ? it : it.fails;
        const title = `${check.id}: ${check.title}${knownViolation === undefined ? '' : ` (known violation: ${knownViolation})`}`;
        declare(title, async (context) => {
          if (unavailable || !subject || !data)
            return context.skip(unavailable ?? 'set-up failed.');
          const result = runConformanceCheck(check.id, subject, data, checkOptions);
          if (result.status === 'skipped') context.skip(result.message);
          if (result.status === 'failed') {
            throw new Error(`${subject.objectiveId} [${backend}] ${check.id}: ${result.message}`);
          }
          // A passing check's note (e.g. the finite-difference agreement) goes to the reporter.
          if (result.message !== '') await context.annotate(result.message, 'notice');
        });
      }
    });
  }
}
