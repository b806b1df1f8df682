import type { ObjectiveBatchV1 } from './objective-batch';

/**
 * Whether `value` has a batch's frame — an object with `fields`, `dimensions` and `counts` — so
 * that reading them cannot throw a `TypeError` (what they hold is checked by `checkBatch`).
 */
export function isObjectiveBatch(value: unknown): value is ObjectiveBatchV1 {
  if (value == null || typeof value !== 'object') return false;
  const batch = value as Partial<ObjectiveBatchV1>;
  return batch.fields != null && batch.dimensions != null && batch.counts != null;
}
