import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { isObjectiveBatch } from './is-objective-batch';

/**
 * The cheap structural check every defined objective's `computeLoss` runs first, so that a missing
 * `batch` or `outputs` is a typed error naming the argument rather than a `TypeError` from deep
 * inside the objective. (The batch's contents were checked when `createBatch` made it.)
 */
export function checkLossInput(objectiveId: string, input: unknown): void {
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
  const { outputs, batch } = input as { outputs?: unknown; batch?: unknown };
  if (outputs == null || typeof outputs !== 'object') {
    throw fail(
      'outputs',
      "the model's outputs (an object of tensors)",
      outputs,
      'pass the outputs of the model forward pass.',
    );
  }
  if (!isObjectiveBatch(batch)) {
    throw fail(
      'batch',
      "a batch made by this objective's createBatch (with size, dimensions, fields and counts)",
      batch,
      `pass the batch returned by ${objectiveId}'s createBatch for these outputs.`,
    );
  }
}
