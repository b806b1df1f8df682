import { describeValue } from '@lm-objectives/core';

function isIndexable(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Where two plain-data values (objects, arrays, typed arrays, numbers, strings) first differ, as
 * `"path: a vs b"`; `undefined` when they are equal. NaN equals NaN; a typed array equals only a
 * typed array of the same kind.
 */
export function firstDifference(left: unknown, right: unknown, path = ''): string | undefined {
  if (Object.is(left, right)) return undefined;
  const at = path === '' ? 'the value' : path;
  if (isIndexable(left) && isIndexable(right)) {
    if (left.constructor !== right.constructor) {
      return `${at}: ${left.constructor.name} vs ${right.constructor.name}`;
    }
    if (left.length !== right.length) return `${at}: length ${left.length} vs ${right.length}`;
    for (let index = 0; index < left.length; index++) {
      const difference = firstDifference(left[index], right[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (
    left !== null &&
    right !== null &&
    typeof left === 'object' &&
    typeof right === 'object' &&
    !isIndexable(left) &&
    !isIndexable(right)
  ) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) {
      const difference = firstDifference(
        (left as Record<string, unknown>)[key],
        (right as Record<string, unknown>)[key],
        path === '' ? key : `${path}.${key}`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  return `${at}: ${describeValue(left)} vs ${describeValue(right)}`;
}
