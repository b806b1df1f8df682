import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { checkBatch } from './check-batch';
import type { LossObjectiveV1 } from './loss-objective-v1';
import type { ObjectiveBatchV1 } from './objective-batch';

/** The pattern of an objective id: `scope/name`, lowercase letters, digits and dashes. */
export const OBJECTIVE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * What a plugin author writes: a {@link LossObjectiveV1} without the version literal, and with
 * `trainableWeights`/`dispose` optional (an objective without weights of its own needs neither).
 */
export type ObjectiveDefinition<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
> = Omit<
  LossObjectiveV1<Example, Batch, Outputs, PartName>,
  'specificationVersion' | 'trainableWeights' | 'dispose'
> & {
  /** The objective's own trainable weights (e.g. a head); omit when it has none. */
  trainableWeights?: () => readonly tf.Variable[];
  /** Frees the objective's own tensors; omit when it holds none. */
  dispose?: () => void;
};

/**
 * The cheap structural check every defined objective's `computeLoss` runs first, so that a missing
 * `batch` or `outputs` is a typed error naming the argument rather than a `TypeError` from deep
 * inside the objective. (The batch's contents were checked when `createBatch` made it.)
 */
function checkLossInput(objectiveId: string, input: unknown): void {
  const functionName = `${objectiveId} computeLoss`;
  const fail = (argumentName: string, expected: string, received: unknown, fix: string) =>
    new InvalidArgumentError({ functionName, argumentName, expected, received, fix });
  if (input == null || typeof input !== 'object') {
    throw fail(
      'input',
      'an object { outputs, batch, numItemsInBatch? }',
      input,
      'pass { outputs, batch }.',
    );
  }
  const { outputs, batch } = input as { outputs?: unknown; batch?: Partial<ObjectiveBatchV1> };
  if (outputs == null || typeof outputs !== 'object') {
    throw fail(
      'outputs',
      "the model's outputs (an object of tensors)",
      outputs,
      'pass the outputs of the model forward pass.',
    );
  }
  if (
    batch == null ||
    typeof batch !== 'object' ||
    batch.fields == null ||
    batch.dimensions == null ||
    batch.counts == null
  ) {
    throw fail(
      'batch',
      "a batch made by this objective's createBatch (with size, dimensions, fields and counts)",
      batch,
      `pass the batch returned by ${objectiveId}'s createBatch for these outputs.`,
    );
  }
}

function invalid(
  argumentName: string,
  expected: string,
  received: unknown,
  fix: string,
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName: 'defineObjective',
    argumentName,
    expected,
    received,
    fix,
  });
}

/**
 * Turns a definition into a {@link LossObjectiveV1}: checks the id, the part names and the field
 * declarations; fills in `specificationVersion: 'v1'`; and wraps `createBatch` so that every batch
 * is checked against the declared fields and parts (a mistake in a plugin surfaces at its source,
 * with the field named, instead of as a shape error deep inside a model).
 *
 * @typeParam Example one tokenized example.
 * @typeParam Batch the batch type the data side returns.
 * @typeParam Outputs what the model hands to the tensor side.
 * @typeParam PartName the loss part names (inferred from `partNames` when written `as const`).
 * @example
 * export const myObjective = defineObjective({
 *   objectiveId: 'acme/next-token',
 *   description: 'Next-token prediction over whole sequences.',
 *   partNames: ['nextToken'] as const,
 *   batchFields: { inputIds: { dtype: 'int32', dimensions: ['batch', 'sequence'], description: 'token ids' } },
 *   createBatch: (examples, { random }) => …,
 *   computeLoss: ({ outputs, batch, numItemsInBatch }) => …,
 * });
 */
export function defineObjective<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  definition: ObjectiveDefinition<Example, Batch, Outputs, PartName>,
): LossObjectiveV1<Example, Batch, Outputs, PartName> {
  if (definition == null || typeof definition !== 'object') {
    throw invalid(
      'definition',
      'an object describing the objective',
      definition,
      'pass { objectiveId, description, partNames, batchFields, createBatch, computeLoss }.',
    );
  }
  const { objectiveId, description, partNames, batchFields, createBatch, computeLoss } = definition;
  if (typeof objectiveId !== 'string' || !OBJECTIVE_ID_PATTERN.test(objectiveId)) {
    throw invalid(
      'definition.objectiveId',
      "an id 'scope/name' in lowercase kebab case, e.g. 'acme/replaced-token-detection'",
      objectiveId,
      'use your package scope or name, a slash, and the objective name, in lowercase letters, digits and dashes.',
    );
  }
  if (typeof description !== 'string' || description.trim() === '') {
    throw invalid(
      'definition.description',
      'a non-empty sentence',
      description,
      'say in one sentence what the objective trains.',
    );
  }
  if (
    !Array.isArray(partNames) ||
    partNames.length === 0 ||
    new Set(partNames).size !== partNames.length ||
    partNames.some((name) => typeof name !== 'string' || name === '')
  ) {
    throw invalid(
      'definition.partNames',
      'a non-empty array of distinct part names',
      partNames,
      "list the loss parts, e.g. ['maskedLm', 'nextSentence'].",
    );
  }
  if (
    batchFields == null ||
    typeof batchFields !== 'object' ||
    Object.keys(batchFields).length === 0
  ) {
    throw invalid(
      'definition.batchFields',
      'an object declaring at least one batch field',
      batchFields,
      "declare each field, e.g. { inputIds: { dtype: 'int32', dimensions: ['batch', 'sequence'], description: '…' } }.",
    );
  }
  for (const [name, spec] of Object.entries(batchFields)) {
    if (
      !spec ||
      !['int32', 'float32', 'bool'].includes(spec.dtype) ||
      !Array.isArray(spec.dimensions) ||
      typeof spec.description !== 'string'
    ) {
      throw invalid(
        `definition.batchFields.${name}`,
        "{ dtype: 'int32' | 'float32' | 'bool', dimensions: string[], description: string }",
        spec,
        'complete the field declaration.',
      );
    }
  }
  if (definition.explainBatch !== undefined && typeof definition.explainBatch !== 'function') {
    throw invalid(
      'definition.explainBatch',
      'a function or undefined',
      definition.explainBatch,
      'implement explainBatch(batch) or leave it out.',
    );
  }
  for (const [member, value] of [
    ['createBatch', createBatch],
    ['computeLoss', computeLoss],
    ['trainableWeights', definition.trainableWeights ?? (() => [])],
    ['dispose', definition.dispose ?? (() => {})],
  ] as const) {
    if (typeof value !== 'function') {
      throw invalid(`definition.${member}`, 'a function', value, `implement ${member}.`);
    }
  }
  const objective: LossObjectiveV1<Example, Batch, Outputs, PartName> = {
    specificationVersion: 'v1',
    objectiveId,
    description,
    partNames: Object.freeze([...partNames]),
    batchFields: Object.freeze({ ...batchFields }),
    createBatch(examples, options) {
      const batch = createBatch.call(definition, examples, options);
      checkBatch(objectiveId, batch, batchFields, partNames);
      return batch;
    },
    computeLoss(input) {
      checkLossInput(objectiveId, input);
      return computeLoss.call(definition, input);
    },
    trainableWeights: () => definition.trainableWeights?.call(definition) ?? [],
    dispose: () => definition.dispose?.call(definition),
  };
  const { explainBatch } = definition;
  if (explainBatch) objective.explainBatch = (batch) => explainBatch.call(definition, batch);
  return Object.freeze(objective);
}
