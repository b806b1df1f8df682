import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { checkOptionKeys } from '../../validation/check-option-keys';
import { checkBatch } from './check-batch';
import { checkLossInput } from './check-loss-input';
import { checkLossResult } from './check-loss-result';
import { checkObjectiveDeclaration } from './check-objective-declaration';
import type { LossObjectiveV1 } from './loss-objective-v1';
import type { ObjectiveBatchV1 } from './objective-batch';

export { OBJECTIVE_ID_PATTERN } from './check-objective-declaration';

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

/** Every key a definition may have (`specificationVersion` only as `'v1'`). */
const DEFINITION_KEYS = [
  'objectiveId',
  'description',
  'partNames',
  'batchFields',
  'createBatch',
  'computeLoss',
  'trainableWeights',
  'dispose',
  'explainBatch',
  'specificationVersion',
] as const;

/**
 * Turns a definition into a {@link LossObjectiveV1}: checks the id, the part names, the field
 * declarations and the methods, refuses unknown keys (with the closest valid name) and any
 * `specificationVersion` but `'v1'`; fills in `specificationVersion: 'v1'`; and wraps the two sides
 * so that a mistake in a plugin surfaces at its source, with a typed error naming the objective:
 * - every batch of `createBatch` is checked against the declared fields (dtype, typed array, the
 *   shape its named dimensions give), the declared parts' counts, a whole `size`, and nothing
 *   undeclared riding along;
 * - every `computeLoss` call checks its input (`outputs`, a batch) and its result: a float32
 *   scalar `loss`, every declared part as scalar `{ loss, sum, count }`, scalar metrics. The values
 *   are not read (see `checkLossResult`).
 *
 * @typeParam Example one tokenized example.
 * @typeParam Batch the batch type the data side returns.
 * @typeParam Outputs what the model hands to the tensor side.
 * @typeParam PartName the loss part names (inferred from `partNames` when written `as const`).
 * @throws {InvalidArgumentError} for a definition that is not an object, an unknown key or a bad member.
 * @throws {UnsupportedSpecificationVersionError} for a `specificationVersion` other than `'v1'`.
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
  const functionName = 'defineObjective';
  if (definition == null || typeof definition !== 'object' || Array.isArray(definition)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'definition',
      expected: 'an object describing the objective',
      received: definition,
      fix: 'pass { objectiveId, description, partNames, batchFields, createBatch, computeLoss }.',
    });
  }
  checkOptionKeys(functionName, definition, DEFINITION_KEYS, 'definition');
  const declaration = definition as unknown as Record<string, unknown>;
  checkObjectiveDeclaration({ functionName, argumentName: 'definition' }, declaration, true);
  const { objectiveId, description, partNames, batchFields, createBatch, computeLoss } = definition;
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
      const result = computeLoss.call(definition, input);
      checkLossResult(objectiveId, result, partNames, input.outputs);
      return result;
    },
    trainableWeights: () => definition.trainableWeights?.call(definition) ?? [],
    dispose: () => definition.dispose?.call(definition),
  };
  const { explainBatch } = definition;
  if (explainBatch) objective.explainBatch = (batch) => explainBatch.call(definition, batch);
  return Object.freeze(objective);
}
