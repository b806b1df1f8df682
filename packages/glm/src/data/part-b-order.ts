import { InvalidArgumentError, type RandomSource } from '@lm-objectives/core';

/** `[0, 1, …, count − 1]`: Part B in text order. */
export function identityOrder(count: number): number[] {
  const order = new Array<number>(count);
  for (let index = 0; index < count; index++) order[index] = index;
  return order;
}

/**
 * Part B's order: a uniformly random permutation of the `count` spans (GLM's shuffled blocks) when
 * `shuffle` is on and a random source is given, otherwise text order.
 */
export function drawPartBOrder(
  count: number,
  shuffle: boolean,
  random: RandomSource | undefined,
): number[] {
  const order = identityOrder(count);
  return shuffle && random !== undefined ? random.shuffle(order) : order;
}

/** Checks a caller's Part B order: a permutation of $0 \dots \mathrm{count} - 1$. */
export function checkPartBOrder(functionName: string, order: unknown, count: number): number[] {
  const seen = new Uint8Array(count);
  const valid =
    Array.isArray(order) &&
    order.length === count &&
    order.every((index) => {
      if (!Number.isInteger(index) || index < 0 || index >= count || seen[index]) return false;
      seen[index] = 1;
      return true;
    });
  if (!valid) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'blanks.order',
      expected: `a permutation of 0…${count - 1} (indices into the spans sorted by start)`,
      received: order,
      fix: 'list every span index exactly once, in the order Part B should fill them.',
    });
  }
  return [...(order as number[])];
}
