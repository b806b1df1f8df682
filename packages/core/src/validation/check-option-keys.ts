import { InvalidArgumentError } from '../errors/invalid-argument-error';
import { suggestClosest } from './suggest-closest';

/**
 * Option names a function accepted before, each with what replaced it, so that an old name is
 * refused with its replacement instead of the closest-name guess (an old name is often too far
 * from its new one to be guessed: `maxSequenceLength` → `maxLength`, `bertProb` →
 * `spanProbability`).
 */
export interface RenamedOptions {
  /** Old name → what to write instead: the new name, or a short instruction. */
  readonly renamed?: Readonly<Record<string, string>>;
  /** The version that renamed them (e.g. `'0.1'`), quoted in the error. */
  readonly renamedIn?: string;
}

/** The error for an options value that is not a plain object. */
export function notAnOptionsObject(
  functionName: string,
  argumentName: string,
  received: unknown,
  allowed: readonly string[],
  expected = 'an options object or undefined',
): InvalidArgumentError {
  return new InvalidArgumentError({
    functionName,
    argumentName,
    expected,
    received,
    fix: `pass an object with some of: ${allowed.join(', ')}.`,
  });
}

/** Whether `value` can hold options: an object that is neither `null` nor an array. */
export function isOptionsObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Throws for the first key of `options` that `renames` lists as renamed (and `allowed` does not). */
function checkNoRenamedKeys(
  functionName: string,
  options: Record<string, unknown>,
  allowed: readonly string[],
  argumentName: string,
  renames: RenamedOptions,
): void {
  const { renamed, renamedIn } = renames;
  if (renamed === undefined) return;
  for (const key of Object.keys(options)) {
    if (allowed.includes(key) || !Object.hasOwn(renamed, key)) continue;
    const replacement = renamed[key]!;
    const when = renamedIn === undefined ? '' : ` in ${renamedIn}`;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.${key}`,
      expected: `one of the known options; '${key}' was renamed to ${replacement}${when}`,
      received: key,
      receivedDescription: `the old option name '${key}'`,
      fix: `use ${replacement} instead (the package README's "Migrating" section lists every rename).`,
    });
  }
}

/**
 * Throws for the first key of `options` outside `allowed`: a renamed one (see
 * {@link RenamedOptions}) with its replacement, any other with the closest allowed name.
 */
export function checkNoUnknownKeys(
  functionName: string,
  options: Record<string, unknown>,
  allowed: readonly string[],
  argumentName: string,
  renames: RenamedOptions = {},
): void {
  // Old names first: a renamed option is best refused with its replacement, never with a guess.
  checkNoRenamedKeys(functionName, options, allowed, argumentName, renames);
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const closest = suggestClosest(key, allowed);
    const advice = 'remove it or correct its spelling (options are camelCase).';
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.${key}`,
      expected: `one of the known options ${allowed.join(', ')}`,
      received: key,
      receivedDescription: `an unknown option '${key}'`,
      fix: closest === undefined ? advice : `did you mean '${closest}'? If not, ${advice}`,
    });
  }
}

/**
 * Throws when `options` is not a plain object (`null`, an array, a string…) or has a key outside
 * `allowed`: a misspelt option (`ignore_index` for `ignoreIndex`) would otherwise be silently
 * ignored and give a wrong answer. The error names the key and suggests the closest allowed name
 * (see {@link suggestClosest}): `did you mean 'learningRate'?`; a key listed in
 * `renames.renamed` is refused with its replacement instead (`'bertProb' was renamed to
 * spanProbability in 0.1`). `undefined` (no options) passes.
 *
 * @param renames old option names and their replacements (migration hints), optional.
 * @returns `options`, unchanged.
 * @example
 * checkOptionKeys('createTrainer', options, ['learningRate', 'weightDecay']);
 * checkOptionKeys('createPairBuilder', options, ['maxLength'], 'options', {
 *   renamed: { maxSequenceLength: 'maxLength' },
 *   renamedIn: '0.1',
 * });
 */
export function checkOptionKeys<Options>(
  functionName: string,
  options: Options,
  allowed: readonly string[],
  argumentName = 'options',
  renames: RenamedOptions = {},
): Options {
  if (options === undefined) return options;
  if (!isOptionsObject(options)) {
    throw notAnOptionsObject(functionName, argumentName, options, allowed);
  }
  checkNoUnknownKeys(functionName, options, allowed, argumentName, renames);
  return options;
}
