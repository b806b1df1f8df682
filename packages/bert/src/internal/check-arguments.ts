import { InvalidArgumentError } from '@lm-objectives/core';

/** Where a value came from, for the error message. */
export interface ArgumentSite {
  readonly functionName: string;
  readonly argumentName: string;
}

/**
 * Throws when `options` is not a plain object or carries a key outside `allowed`: a misspelt
 * option (`mask_token_id`) would otherwise be ignored silently and give a wrong batch.
 */
export function checkKnownKeys(
  site: ArgumentSite,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an options object',
      received: options,
      fix: `pass an object with some of: ${allowed.join(', ')}.`,
    });
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}.${key}`,
        expected: `one of the known options ${allowed.join(', ')}`,
        received: key,
        receivedDescription: `an unknown option '${key}'`,
        fix: 'remove it or correct its spelling (options are camelCase).',
      });
    }
  }
  return options as Record<string, unknown>;
}

/** Range of {@link checkNumber}: inclusive bounds unless the exclusive flags say otherwise. */
export interface NumberRange {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  readonly minExclusive?: boolean;
}

/** Returns `value` if it is a finite number (an integer when asked) in the range; throws otherwise. */
export function checkNumber(
  site: ArgumentSite,
  value: unknown,
  range: NumberRange,
  fix: string,
): number {
  const { min = -Infinity, max = Infinity, integer = false, minExclusive = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    value <= max;
  if (!ok) {
    const low = min === -Infinity ? '(-∞' : `${minExclusive ? '(' : '['}${min}`;
    const high = max === Infinity ? '∞)' : `${max}]`;
    throw new InvalidArgumentError({
      ...site,
      expected: `a finite ${integer ? 'integer' : 'number'} in ${low}, ${high}`,
      received: value,
      fix,
    });
  }
  return value as number;
}

/** {@link checkNumber} for an optional value: `fallback` when it is `undefined`. */
export function optionalNumber(
  site: ArgumentSite,
  value: unknown,
  fallback: number,
  range: NumberRange,
  fix: string,
): number {
  return value === undefined ? fallback : checkNumber(site, value, range, fix);
}

/** Returns `value` if it is one of `allowed` (or `fallback` when undefined); throws otherwise. */
export function checkChoice<Choice extends string>(
  site: ArgumentSite,
  value: unknown,
  allowed: readonly Choice[],
  fallback: Choice,
): Choice {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    const list = allowed.map((item) => `'${item}'`).join(', ');
    throw new InvalidArgumentError({
      ...site,
      expected: `one of ${list}`,
      received: value,
      fix: `pass one of ${list} (default '${fallback}').`,
    });
  }
  return value as Choice;
}

/** Returns `value` if it is a boolean (or `fallback` when undefined); throws otherwise. */
export function checkFlag(site: ArgumentSite, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError({
      ...site,
      expected: 'true or false',
      received: value,
      fix: `pass a boolean (default ${fallback}).`,
    });
  }
  return value;
}

/**
 * Converts a list of integers (array or typed array) to an `Int32Array`, checking every value is
 * an integer in `[0, limit)`. Typed arrays are copied too, so the caller's array is never aliased.
 */
export function toIdArray(
  site: ArgumentSite,
  values: unknown,
  limit: number,
  what: string,
  fix: string,
): Int32Array {
  if (!(Array.isArray(values) || ArrayBuffer.isView(values))) {
    throw new InvalidArgumentError({
      ...site,
      expected: `an array or Int32Array of ${what}`,
      received: values,
      fix,
    });
  }
  const list = values as ArrayLike<unknown>;
  const ids = new Int32Array(list.length);
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < limit)) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}[${index}]`,
        expected: `an integer in [0, ${limit}) (${what})`,
        received: value,
        fix,
      });
    }
    ids[index] = value;
  }
  return ids;
}

/** Returns `value` if it is an integer token id in `[0, limit)`; throws otherwise. */
export function checkTokenId(
  site: ArgumentSite,
  value: unknown,
  limit: number,
  tokenName: string,
): number {
  return checkNumber(
    site,
    value,
    { min: 0, max: limit - 1, integer: true },
    `pass the tokenizer's id of ${tokenName}.`,
  );
}

/** A probability in `[0, 1]`, or `fallback` when `value` is undefined. */
export function optionalProbability(site: ArgumentSite, value: unknown, fallback: number): number {
  return optionalNumber(site, value, fallback, { min: 0, max: 1 }, 'pass a probability in [0, 1].');
}

/** Throws unless `random` looks like a `RandomSource` (the data side's only source of randomness). */
export function checkRandomSource(functionName: string, random: unknown): void {
  if (random == null || typeof (random as { nextUint32?: unknown }).nextUint32 !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'random',
      expected: 'a RandomSource (from createRng)',
      received: random,
      fix: 'pass createRng(seed), or the random source the training loop gives createBatch.',
    });
  }
}
