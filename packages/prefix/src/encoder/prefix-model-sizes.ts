import { checkInteger, InvalidArgumentError, suggestClosest } from '@lm-objectives/core';

/**
 * The sizes of the model a prefix is built for. A resolved model configuration (for example
 * `decoder.config` of `@lm-objectives/models`, or a Llama decoder's config with its
 * `numKeyValueHeads`) has these fields and can be passed as it is.
 */
export interface PrefixModelSizes {
  /** Transformer blocks: one key/value prefix per block. */
  readonly numLayers: number;
  /** Attention (query) heads per block. */
  readonly numHeads: number;
  /**
   * $n_{kv}$, the key/value heads per block (grouped-query attention: each serves
   * `numHeads / numKeyValueHeads` query heads). The prefix has this many heads, as the model's own
   * keys and values do. Must divide `numHeads`. Default `numHeads` (plain multi-head attention).
   */
  readonly numKeyValueHeads?: number;
  /** $d$, the size of one head's keys and values (`hiddenSize / numHeads`). */
  readonly headSize: number;
}

/** {@link PrefixModelSizes} as checked: `numKeyValueHeads` filled in. */
export interface ResolvedPrefixModelSizes extends PrefixModelSizes {
  /** $n_{kv}$: the given value, or `numHeads` when none was given. */
  readonly numKeyValueHeads: number;
}

/** The size names, in the order errors list them. */
const SIZE_NAMES = ['numLayers', 'numHeads', 'numKeyValueHeads', 'headSize'] as const;

/**
 * $H_{kv} = n_{kv} \cdot d$, the width of one layer's keys (or values) for one token: the hidden
 * size $H$ without grouped-query attention.
 */
export function keyValueWidth(sizes: PrefixModelSizes): number {
  return (sizes.numKeyValueHeads ?? sizes.numHeads) * sizes.headSize;
}

/**
 * The width of one virtual token's projected prefix, $L \cdot 2 \cdot H_{kv}$ with
 * $H_{kv} = n_{kv} \cdot d$ (`numKeyValueHeads · headSize`, which is $H$ without grouped-query
 * attention): a key and a value for each of the $L$ layers.
 */
export function prefixWidth(sizes: PrefixModelSizes): number {
  return sizes.numLayers * 2 * keyValueWidth(sizes);
}

/**
 * Refuses a key that is not a size name but looks like a misspelt one (`num_key_value_heads`,
 * `numKvHeads`, `numLayer`): it would otherwise be ignored and the prefix built for the wrong
 * model. Other keys (the rest of a model configuration) pass.
 */
function checkNoMisspeltSize(
  functionName: string,
  argumentName: string,
  given: Record<string, unknown>,
): void {
  const absent = SIZE_NAMES.filter((name) => given[name] === undefined);
  for (const key of Object.keys(given)) {
    if ((SIZE_NAMES as readonly string[]).includes(key)) continue;
    const keyValueLike = /kvhead|keyvaluehead/.test(key.toLowerCase().replace(/[\s_-]+/g, ''));
    const closest =
      keyValueLike && absent.includes('numKeyValueHeads')
        ? 'numKeyValueHeads'
        : suggestClosest(key, absent);
    if (closest === undefined) continue;
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.${key}`,
      expected: `the size names ${SIZE_NAMES.join(', ')} (other keys of a model configuration are ignored)`,
      received: key,
      receivedDescription: `a key '${key}' that looks like a misspelt size`,
      fix: `did you mean '${closest}'? Rename the key (sizes are camelCase), or pass the model's config.`,
    });
  }
}

/**
 * Validates model sizes (positive integers; `numKeyValueHeads`, default `numHeads`, a divisor of
 * `numHeads`), refuses misspelt size names with the closest one, and returns a frozen copy holding
 * only the four sizes.
 * @internal
 */
export function checkPrefixModelSizes(
  functionName: string,
  argumentName: string,
  value: unknown,
): ResolvedPrefixModelSizes {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'an object { numLayers, numHeads, numKeyValueHeads?, headSize }',
      received: value,
      fix: 'pass the model configuration, e.g. decoder.config of a createCausalDecoder model.',
    });
  }
  const given = value as Record<string, unknown>;
  checkNoMisspeltSize(functionName, argumentName, given);
  const size = (name: (typeof SIZE_NAMES)[number], max: number, fallback?: number) =>
    checkInteger(
      { functionName, argumentName: `${argumentName}.${name}` },
      given[name],
      { min: 1, max },
      `pass the model's ${name} (a positive integer), e.g. from decoder.config.`,
      fallback,
    );
  const numLayers = size('numLayers', 1 << 20);
  const numHeads = size('numHeads', 1 << 20);
  const numKeyValueHeads = size('numKeyValueHeads', numHeads, numHeads);
  if (numHeads % numKeyValueHeads !== 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}.numKeyValueHeads`,
      expected: `a divisor of numHeads = ${numHeads} (each key/value head serves a whole group of query heads)`,
      received: numKeyValueHeads,
      fix: "pass the model's numKeyValueHeads (e.g. llamaDecoder.config), or leave it out for plain multi-head attention.",
    });
  }
  const headSize = size('headSize', 1 << 20);
  return Object.freeze({ numLayers, numHeads, numKeyValueHeads, headSize });
}
