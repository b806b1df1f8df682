import { InvalidArgumentError } from '../errors/invalid-argument-error';
import type { RandomSource } from '../random/random-source';
import type { ArgumentSite } from './argument-site';

/** The methods every {@link RandomSource} has. */
const RANDOM_SOURCE_METHODS = [
  'nextUint32',
  'uniform',
  'int',
  'bernoulli',
  'shuffle',
  'categorical',
  'poisson',
  'normal',
  'fork',
  'getState',
] as const satisfies readonly (keyof RandomSource)[];

/**
 * A {@link RandomSource}: an object with every method of core's seeded source (the data side's
 * only source of randomness, so that a seed fixes every batch). The error names the missing methods.
 */
export function checkRandomSource(site: ArgumentSite, value: unknown): RandomSource {
  const missing =
    value !== null && typeof value === 'object'
      ? RANDOM_SOURCE_METHODS.filter(
          (method) => typeof (value as Record<string, unknown>)[method] !== 'function',
        )
      : [...RANDOM_SOURCE_METHODS];
  if (missing.length === 0) return value as RandomSource;
  const isObject = value !== null && typeof value === 'object';
  throw new InvalidArgumentError({
    ...site,
    expected: 'a RandomSource (from createRng)',
    received: value,
    ...(isObject ? { receivedDescription: `an object without ${missing.join(', ')}` } : {}),
    fix: 'pass createRng(seed), or the random source the training loop hands to createBatch.',
  });
}
