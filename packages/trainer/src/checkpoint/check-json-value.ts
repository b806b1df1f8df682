import { InvalidArgumentError } from '@lm-objectives/core';

/**
 * Checks that `value` is plain JSON data — `null`, booleans, finite numbers, strings, arrays and
 * plain objects, nested at most `maxDepth` levels — so that it survives `JSON.stringify` and
 * `JSON.parse` unchanged (a function, `undefined`, `NaN`, a `Date` or a class instance would be
 * dropped or changed silently). Names the first offending path.
 */
export function checkJsonValue(
  value: unknown,
  functionName: string,
  path: string,
  maxDepth = 64,
): void {
  const fail = (at: string, received: unknown, expected: string): never => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: at,
      expected,
      received,
      fix: 'keep metadata to plain JSON: strings, finite numbers, booleans, null, arrays and plain objects.',
    });
  };
  const visit = (item: unknown, at: string, depth: number): void => {
    if (depth > maxDepth) fail(at, item, `JSON nested at most ${maxDepth} levels deep`);
    if (item === null || typeof item === 'string' || typeof item === 'boolean') return;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) fail(at, item, 'a finite number (JSON has no NaN or Infinity)');
      return;
    }
    if (Array.isArray(item)) {
      item.forEach((entry, index) => {
        visit(entry, `${at}[${index}]`, depth + 1);
      });
      return;
    }
    if (typeof item === 'object') {
      const prototype = Object.getPrototypeOf(item);
      if (prototype !== Object.prototype && prototype !== null) {
        fail(at, item, 'a plain object (not a class instance such as a Date or a Map)');
      }
      for (const [key, entry] of Object.entries(item as Record<string, unknown>)) {
        visit(entry, `${at}.${key}`, depth + 1);
      }
      return;
    }
    fail(at, item, 'a JSON value');
  };
  visit(value, path, 0);
}

/** {@link checkJsonValue} for a value that must be a plain JSON object (not an array or `null`). */
export function checkJsonObject(
  value: unknown,
  functionName: string,
  path: string,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: path,
      expected: 'a plain JSON object',
      received: value,
      fix: 'pass an object such as { epoch: 3, dataCursor: 1200 }.',
    });
  }
  checkJsonValue(value, functionName, path);
  return value as Record<string, unknown>;
}
