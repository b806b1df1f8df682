import { checkBatch, describeValue, type ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from '../conformance-check';
import type { CheckContext } from '../internal/check-context';
import { ConformanceSkip, describeThrown, fail, failIfAny } from '../internal/check-outcome';
import { firstDifference } from '../internal/first-difference';

/** Same seed, same batch; the examples are left untouched; another seed (usually) changes it. */
export const batchDeterminismCheck: ConformanceCheck = {
  id: 'batch-determinism',
  title: 'createBatch is deterministic for a seed and leaves its examples unchanged',
  run(context) {
    const { examples } = context.fixture;
    const before = structuredClone(examples);
    const seed = context.options.seed;
    const first = context.createBatch(seed);
    const mutated = firstDifference(before, examples);
    if (mutated) {
      fail(
        `createBatch changed the examples it was given (examples${mutated.startsWith('[') ? '' : '.'}${mutated}). Copy before modifying: the data side must be pure.`,
      );
    }
    const second = context.createBatch(seed);
    const difference = firstDifference(first, second);
    if (difference) {
      fail(
        `two calls with createRng(${seed}) gave different batches (${difference}). Draw every random choice from options.random (never Math.random, Date.now or a module-level source), and keep no state between calls.`,
      );
    }
    const other = context.createBatch(seed + 1);
    return firstDifference(first, other)
      ? undefined
      : `createRng(${seed}) and createRng(${seed + 1}) gave the same batch: fine for a data side without randomness.`;
  },
};

function undeclared(
  batch: ObjectiveBatchV1,
  declared: readonly string[],
  kind: 'fields' | 'counts',
  fix: string,
): string[] {
  return Object.keys(batch[kind] ?? {})
    .filter((name) => !declared.includes(name))
    .map((name) => `batch.${kind}.${name} is not declared: ${fix}`);
}

/** Every declared field has its dtype and shape; nothing undeclared rides along. */
export const batchFieldsCheck: ConformanceCheck = {
  id: 'batch-fields',
  title:
    'createBatch returns the declared fields with their dtypes and shapes, and a count per part',
  run(context) {
    const { objective } = context;
    const batches = context.fixtureBatches();
    const problems: string[] = [];
    for (const [name, batch] of batches) {
      try {
        checkBatch(objective.objectiveId, batch, objective.batchFields, objective.partNames);
      } catch (error) {
        problems.push(`${name}: ${describeThrown(error)}`);
        continue;
      }
      if (!Number.isInteger(batch.size) || batch.size < 0) {
        problems.push(
          `${name}: batch.size is ${describeValue(batch.size)}; return the number of rows.`,
        );
      }
      problems.push(
        ...undeclared(
          batch,
          Object.keys(objective.batchFields),
          'fields',
          'declare it in batchFields (dtype, dimensions, description) so tools can read it, or keep it outside fields.',
        ),
        ...undeclared(
          batch,
          objective.partNames,
          'counts',
          'counts must have one entry per part name.',
        ),
      );
    }
    failIfAny(problems, 'The batch does not match its declaration:');
    return undefined;
  },
};

/** The optional `explainBatch` describes every row in the shared terms, without tensors. */
export const explainBatchCheck: ConformanceCheck = {
  id: 'explain-batch',
  title: 'explainBatch (when present) explains every row without creating tensors',
  run(context: CheckContext) {
    const { objective } = context;
    if (objective.explainBatch === undefined) {
      throw new ConformanceSkip('the objective has no explainBatch (it is optional).');
    }
    const batch = context.createBatch();
    const tensorsBefore = tf.memory().numTensors;
    const explanation = objective.explainBatch(batch);
    const created = tf.memory().numTensors - tensorsBefore;
    const problems: string[] = [];
    if (created !== 0) problems.push(`it left ${created} tensors allocated: keep it pure data.`);
    const rows: unknown = explanation?.rows;
    if (!Array.isArray(rows) || rows.length !== batch.size) {
      fail(
        `explainBatch returned rows ${describeValue(rows)}; expected an array of ${batch.size} rows (one per example of the batch).`,
      );
    }
    rows.forEach((row, rowIndex) => {
      const tokens: unknown = row?.tokens;
      if (!Array.isArray(tokens)) {
        problems.push(`rows[${rowIndex}].tokens is ${describeValue(tokens)}; expected an array.`);
        return;
      }
      const bad = tokens.findIndex(
        (token) =>
          !Number.isInteger(token?.inputId) ||
          !(token.label === null || Number.isInteger(token.label)) ||
          !(Number.isFinite(token.weight) && token.weight >= 0) ||
          (token.label === null && token.weight !== 0),
      );
      if (bad >= 0) {
        problems.push(
          `rows[${rowIndex}].tokens[${bad}] is ${JSON.stringify(tokens[bad])}; expected an integer inputId, label (an id, or null when ignored) and weight ≥ 0 (0 when the label is null).`,
        );
      }
    });
    failIfAny(problems, 'explainBatch does not follow ObjectiveBatchExplanation:');
    return undefined;
  },
};
