import { checkInteger, InvalidArgumentError } from '@lm-objectives/core';

/**
 * The sizes of the model a prefix is built for. A resolved model configuration (for example
 * `decoder.config` of `@lm-objectives/models`) has these fields and can be passed as it is.
 */
export interface PrefixModelSizes {
  /** Transformer blocks: one key/value prefix per block. */
  readonly numLayers: number;
  /** Attention heads per block. */
  readonly numHeads: number;
  /** $d$, the size of one head's keys and values (`hiddenSize / numHeads`). */
  readonly headSize: number;
}

/**
 * The width of one virtual token's projected prefix, $L \cdot 2 \cdot H$ with $H = \mathrm{heads} \cdot d$:
 * a key and a value of size $H$ for each of the $L$ layers.
 */
export function prefixWidth(sizes: PrefixModelSizes): number {
  return sizes.numLayers * 2 * sizes.numHeads * sizes.headSize;
}

/**
 * Validates model sizes (positive integers) and returns a frozen copy holding only the three sizes.
 * @internal
 */
export function checkPrefixModelSizes(
  functionName: string,
  argumentName: string,
  value: unknown,
): PrefixModelSizes {
  if (value === null || typeof value !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'an object { numLayers, numHeads, headSize }',
      received: value,
      fix: 'pass the model configuration, e.g. decoder.config of a createCausalDecoder model.',
    });
  }
  const given = value as Record<string, unknown>;
  const size = (name: keyof PrefixModelSizes) =>
    checkInteger(
      { functionName, argumentName: `${argumentName}.${name}` },
      given[name],
      { min: 1, max: 1 << 20 },
      `pass the model's ${name} (a positive integer), e.g. from decoder.config.`,
    );
  return Object.freeze({
    numLayers: size('numLayers'),
    numHeads: size('numHeads'),
    headSize: size('headSize'),
  });
}
