import { withArticle } from '../../errors/describe-value';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { ShapeMismatchError } from '../../errors/shape-mismatch-error';
import { formatShape, sameShape } from '../../validation/format-shape';
import type { BatchFieldDtype, BatchFieldSpec } from './batch-field';
import { isObjectiveBatch } from './is-objective-batch';
import type { ObjectiveBatchV1 } from './objective-batch';

const ARRAY_OF_DTYPE: Record<BatchFieldDtype, new (length: number) => ArrayLike<number>> = {
  int32: Int32Array,
  float32: Float32Array,
  bool: Uint8Array,
};

/**
 * The batch's frame: a whole, non-negative `size`, whole non-negative `dimensions`, and no field
 * or count that the objective does not declare (a tool reading the declaration would miss it).
 */
function checkBatchFrame(
  functionName: string,
  batch: ObjectiveBatchV1,
  batchFields: Readonly<Record<string, BatchFieldSpec>>,
  partNames: readonly string[],
): void {
  if (!Number.isInteger(batch.size) || batch.size < 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'return value.size',
      expected: 'the number of examples (rows), a whole number ≥ 0',
      received: batch.size,
      fix: 'set size to the number of rows of the batch.',
    });
  }
  for (const [name, size] of Object.entries(batch.dimensions)) {
    if (!Number.isInteger(size) || size < 0) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `dimensions.${name}`,
        expected: 'a whole number ≥ 0',
        received: size,
        fix: 'give every named dimension its size in this batch.',
      });
    }
  }
  for (const [kind, declared, fix] of [
    [
      'fields',
      Object.keys(batchFields),
      'declare it in batchFields (dtype, dimensions, description), or leave it out of fields.',
    ],
    ['counts', partNames, 'report one count per declared part name, and no other.'],
  ] as const) {
    const undeclared = Object.keys(batch[kind]).find((name) => !declared.includes(name));
    if (undeclared !== undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${kind}.${undeclared}`,
        expected: `only the declared ${kind === 'fields' ? 'fields' : 'parts'} ${declared.join(', ')}`,
        received: undeclared,
        receivedDescription: `an undeclared ${kind === 'fields' ? 'field' : 'count'} '${undeclared}'`,
        fix,
      });
    }
  }
}

/**
 * Checks that a batch carries every declared field with the declared dtype, a typed array of the
 * right kind and length, and the shape its named dimensions resolve to; a finite, non-negative
 * count for every part; a whole `size`; and no undeclared field or count. Throws a {@link ShapeMismatchError} or {@link InvalidArgumentError} naming
 * the objective and the field.
 */
export function checkBatch(
  objectiveId: string,
  batch: ObjectiveBatchV1,
  batchFields: Readonly<Record<string, BatchFieldSpec>>,
  partNames: readonly string[],
): void {
  const functionName = `${objectiveId} createBatch`;
  if (!isObjectiveBatch(batch)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'return value',
      expected: 'a batch object with size, dimensions, fields and counts',
      received: batch,
      fix: 'return an ObjectiveBatchV1 from createBatch.',
    });
  }
  checkBatchFrame(functionName, batch, batchFields, partNames);
  for (const [name, spec] of Object.entries(batchFields)) {
    const field = batch.fields[name];
    const argumentName = `fields.${name}`;
    const shape = spec.dimensions.map((dimension) => batch.dimensions[dimension] ?? Number.NaN);
    if (shape.some((size) => !Number.isInteger(size) || size < 0)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'dimensions',
        expected: `a size for each of ${spec.dimensions.join(', ')} (declared by field '${name}')`,
        received: batch.dimensions,
        fix: 'set every named dimension the field declarations use in batch.dimensions.',
      });
    }
    if (
      field == null ||
      field.dtype !== spec.dtype ||
      !(field.data instanceof ARRAY_OF_DTYPE[spec.dtype])
    ) {
      throw new InvalidArgumentError({
        functionName,
        argumentName,
        expected: `${withArticle(spec.dtype)} field stored in ${withArticle(ARRAY_OF_DTYPE[spec.dtype].name)}`,
        received: field?.data,
        receivedDescription:
          field == null
            ? 'no such field'
            : `dtype '${field.dtype}' in ${field.data?.constructor?.name}`,
        fix: `return field '${name}' as declared in batchFields.`,
      });
    }
    const length = shape.reduce((product, size) => product * size, 1);
    if (
      !Array.isArray(field.shape) ||
      !sameShape(field.shape, shape) ||
      field.data.length !== length
    ) {
      throw new ShapeMismatchError({
        functionName,
        argumentName,
        expected: `shape ${formatShape(shape)} (${spec.dimensions.join(' × ')}) with ${length} elements`,
        received: field.data,
        receivedDescription: `shape ${Array.isArray(field.shape) ? formatShape(field.shape) : String(field.shape)} with ${field.data.length} elements`,
        fix: 'make the field match its declaration and batch.dimensions.',
      });
    }
  }
  for (const part of partNames) {
    const count = (batch.counts as Record<string, number>)[part];
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `counts.${part}`,
        expected: 'a finite, non-negative count of the items this part scores',
        received: count,
        fix: `report counts.${part} in every batch.`,
      });
    }
  }
}
