import {
  checkNumberInRange,
  checkOneOf,
  checkOptionKeys,
  InvalidArgumentError,
} from '@lm-objectives/core';

/**
 * Argument checks shared by this package's public functions, on top of core's validation helpers.
 * Every failure is an {@link InvalidArgumentError} in the house format (function, argument,
 * expected, received, fix).
 */

export { checkOptionKeys };

/** Throws unless the options of a GLM factory are an object (they need at least `tokens`). */
export function checkGlmOptionsObject(functionName: string, options: unknown): void {
  if (options != null && typeof options === 'object') return;
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'options',
    expected: 'an options object with at least { tokens }',
    received: options,
    fix: 'pass { tokens: { cls, mask, sop, eop } } and any other option to change.',
  });
}

/** The accepted range of a numeric argument. */
export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  integer?: boolean;
}

/** Returns `value` when it is a finite number in the range; throws otherwise (core's check). */
export function checkNumber(
  functionName: string,
  argumentName: string,
  value: unknown,
  range: NumberRange,
  fix: string,
): number {
  return checkNumberInRange({ functionName, argumentName }, value, range, fix);
}

/** Like {@link checkNumber}, but `undefined` gives `fallback`. */
export function checkNumberOption(
  functionName: string,
  argumentName: string,
  value: unknown,
  fallback: number,
  range: NumberRange,
  fix: string,
): number {
  return value === undefined
    ? fallback
    : checkNumber(functionName, argumentName, value, range, fix);
}

/** Returns `value` when it is a boolean, `fallback` when undefined; throws otherwise. */
export function checkBooleanOption(
  functionName: string,
  argumentName: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidArgumentError({
    functionName,
    argumentName,
    expected: 'true or false',
    received: value,
    fix: `pass a boolean for ${argumentName.split('.').pop()}.`,
  });
}

/** Returns `value` when it is one of `allowed`, `fallback` when undefined; throws otherwise. */
export function checkChoiceOption<Choice extends string>(
  functionName: string,
  argumentName: string,
  value: unknown,
  fallback: Choice,
  allowed: readonly Choice[],
): Choice {
  return value === undefined
    ? fallback
    : checkOneOf({ functionName, argumentName }, value, allowed);
}

/** Whether `value` is an integer token id that fits an int32: $0 \le v < 2^{31}$. */
export function isTokenId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff;
}

/**
 * Copies token ids into a fresh `Int32Array`, checking each one; `offset` leaves that many leading
 * slots free (for a `[CLS]` the caller writes).
 */
export function copyTokenIds(
  functionName: string,
  argumentName: string,
  value: unknown,
  offset = 0,
): Int32Array {
  const isArrayLike =
    Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (!isArrayLike) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'token ids as an array or Int32Array',
      received: value,
      fix: 'pass the tokenized text, e.g. tokenizer.encode(text) without special tokens.',
    });
  }
  const badId = (index: number, id: unknown) =>
    new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}[${index}]`,
      expected: 'a token id, an integer in [0, 2^31)',
      received: id,
      fix: 'pass integer token ids from the tokenizer (no padding markers such as -100).',
    });
  const ids = value as ArrayLike<number>;
  const copy = new Int32Array(ids.length + offset);
  if (value instanceof Int32Array) {
    // Int32Array values are integers in range already: only the sign needs a look.
    copy.set(value, offset);
    for (let index = 0; index < value.length; index++) {
      if (value[index]! < 0) throw badId(index, value[index]);
    }
    return copy;
  }
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index];
    if (!isTokenId(id)) throw badId(index, id);
    copy[index + offset] = id;
  }
  return copy;
}
