import { IGNORE_INDEX } from '../contract/v1/ignore-index';
import { checkNumberInRange } from './check-number-in-range';

/**
 * Validates an `ignoreIndex` option (a negative integer, so that no class id can take it) and
 * returns it, or {@link IGNORE_INDEX} (−100) when it is not given.
 */
export function resolveIgnoreIndex(
  functionName: string,
  value: unknown,
  argumentName = 'options.ignoreIndex',
): number {
  if (value === undefined) return IGNORE_INDEX;
  return checkNumberInRange(
    { functionName, argumentName },
    value,
    { integer: true, max: -1 },
    'use a negative integer that no class id can take (the convention is -100).',
  );
}
