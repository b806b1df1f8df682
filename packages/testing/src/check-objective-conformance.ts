import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from './conformance-check';
import { CONFORMANCE_CHECKS } from './conformance-checks';
import type {
  AnyObjective,
  ConformanceCheckId,
  ConformanceCheckResult,
  ConformanceFixture,
  ConformanceOptions,
  ConformanceReport,
} from './conformance-types';
import { type CheckContext, createCheckContext } from './internal/check-context';
import { ConformanceFailure, ConformanceSkip, describeThrown } from './internal/check-outcome';

function runCheck(
  check: ConformanceCheck,
  context: CheckContext,
  options: ConformanceOptions,
): ConformanceCheckResult {
  const { id, title } = check;
  const reason = options.skip?.[id];
  if (reason !== undefined)
    return { id, title, status: 'skipped', message: `skipped by the caller: ${reason}` };
  try {
    const note = check.run(context);
    return { id, title, status: 'passed', message: note ?? '' };
  } catch (error) {
    if (error instanceof ConformanceSkip)
      return { id, title, status: 'skipped', message: error.message };
    if (error instanceof ConformanceFailure)
      return { id, title, status: 'failed', message: error.message };
    return {
      id,
      title,
      status: 'failed',
      message: `the check could not run: the objective (or the fixture's model) threw ${describeThrown(error)}`,
    };
  }
}

/**
 * Runs one conformance check on the current TensorFlow.js backend.
 *
 * @typeParam Example one example as the objective's `createBatch` takes it.
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the fixture's model hands to `computeLoss`.
 */
export function runConformanceCheck<Example, Batch, Outputs>(
  id: ConformanceCheckId,
  objective: AnyObjective,
  fixture: ConformanceFixture<Example, Batch, Outputs>,
  options: ConformanceOptions = {},
): ConformanceCheckResult {
  const check = CONFORMANCE_CHECKS.find((candidate) => candidate.id === id);
  if (!check) {
    throw new Error(
      `runConformanceCheck: unknown check id '${id}'; expected one of ${CONFORMANCE_CHECKS.map((c) => c.id).join(', ')}.`,
    );
  }
  return runCheck(check, createCheckContext(objective, fixture, options), options);
}

/**
 * Checks that an objective honours the `LossObjective` v1 contract, on the current backend, and
 * returns one result per check (see `CONFORMANCE_CHECKS`) with a message saying what to fix. It
 * never throws for a non-conforming objective; `report.passed` says whether every check passed or
 * was skipped. Run it once per backend (`tf.setBackend`), or use `describeObjectiveConformance`.
 *
 * @typeParam Example one example as the objective's `createBatch` takes it.
 * @typeParam Batch the objective's batch type.
 * @typeParam Outputs what the fixture's model hands to `computeLoss`.
 * @example
 * const report = checkObjectiveConformance(objective, { examples, model });
 * for (const result of report.results) if (result.status === 'failed') console.log(result.id, result.message);
 */
export function checkObjectiveConformance<Example, Batch, Outputs>(
  objective: AnyObjective,
  fixture: ConformanceFixture<Example, Batch, Outputs>,
  options: ConformanceOptions = {},
): ConformanceReport {
  const context = createCheckContext(objective, fixture, options);
  const results = CONFORMANCE_CHECKS.map((check) => runCheck(check, context, options));
  return {
    objectiveId: String(objective.objectiveId),
    backend: tf.getBackend(),
    results,
    passed: results.every((result) => result.status !== 'failed'),
  };
}
