// Temporary: the subset of core's validation kit (plan CORE-KIT.md) that bert uses, with the
// kit's signatures, until the kit lands on main. Replaced by imports from @lm-objectives/core.
import {
  type ArgumentSite,
  checkTensor as checkCoreTensor,
  checkNumberInRange,
  checkOptionKeys,
  gatherPositions,
  InvalidArgumentError,
  type RandomSource,
  ShapeMismatchError,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

export type DimensionSizes = Record<string, number>;

export function checkOptionsObject(
  site: ArgumentSite,
  value: unknown,
  spec: { required?: readonly string[]; allowed: readonly string[] },
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an options object',
      received: value,
      fix: `pass an object with some of: ${spec.allowed.join(', ')}.`,
    });
  }
  checkOptionKeys(site.functionName, value, spec.allowed, site.argumentName);
  for (const name of spec.required ?? []) {
    if ((value as Record<string, unknown>)[name] === undefined) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}.${name}`,
        expected: 'a value',
        received: undefined,
        fix: `pass ${name}.`,
      });
    }
  }
  return value as Record<string, unknown>;
}

export function checkInteger(
  site: ArgumentSite,
  value: unknown,
  range: { min?: number; max?: number },
  fix: string,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(site, value, { ...range, integer: true }, fix);
}

export function checkPositiveInteger(
  site: ArgumentSite,
  value: unknown,
  fix: string,
  fallback?: number,
): number {
  return checkInteger(site, value, { min: 1 }, fix, fallback);
}

export function checkProbability(site: ArgumentSite, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(site, value, { min: 0, max: 1 }, 'pass a probability in [0, 1].');
}

export function checkRatio(
  site: ArgumentSite,
  value: unknown,
  options: { minExclusive?: boolean; max?: number },
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(
    site,
    value,
    { min: 0, max: options.max ?? 1, minExclusive: options.minExclusive },
    'pass a share in [0, 1].',
  );
}

export function checkFiniteNumber(
  site: ArgumentSite,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean },
  fix: string,
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkNumberInRange(site, value, range, fix);
}

export function checkTokenId(
  site: ArgumentSite,
  value: unknown,
  options: { vocabularySize?: number; tokenName?: string },
  fallback?: number,
): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const limit = options.vocabularySize ?? 2 ** 31;
  return checkNumberInRange(
    site,
    value,
    { min: 0, max: limit - 1, integer: true },
    `pass the tokenizer's id of ${options.tokenName ?? 'the token'}.`,
  );
}

export function checkDistinctTokenIds(
  functionName: string,
  ids: Readonly<Record<string, number | undefined>>,
): void {
  const seen = new Map<number, string>();
  for (const [name, id] of Object.entries(ids)) {
    if (id === undefined) continue;
    const other = seen.get(id);
    if (other !== undefined) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `options.${name}`,
        expected: `an id different from options.${other}`,
        received: id,
        receivedDescription: `options.${other} and options.${name} are both ${id}`,
        fix: 'give each special token its own id.',
      });
    }
    seen.set(id, name);
  }
}

export function checkTokenIds(
  site: ArgumentSite,
  value: unknown,
  options: {
    vocabularySize?: number;
    allowIgnoreIndex?: boolean;
    length?: number;
    minLength?: number;
  } = {},
): Int32Array {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an array or typed array of token ids',
      received: value,
      fix: 'pass token ids.',
    });
  }
  const list = value as unknown as ArrayLike<unknown>;
  if (options.length !== undefined && list.length !== options.length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${options.length} token ids`,
      received: value,
      fix: 'give one value per token.',
    });
  }
  if (options.minLength !== undefined && list.length < options.minLength) {
    throw new InvalidArgumentError({
      ...site,
      expected: `at least ${options.minLength} token ids`,
      received: value,
      fix: 'pass a longer sequence.',
    });
  }
  const limit = options.vocabularySize ?? 2 ** 31;
  const ids = new Int32Array(list.length);
  for (let index = 0; index < list.length; index++) {
    const id = list[index];
    const ok =
      typeof id === 'number' &&
      Number.isInteger(id) &&
      ((id >= 0 && id < limit) || (options.allowIgnoreIndex === true && id === -100));
    if (!ok) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}[${index}]`,
        expected: `a token id in [0, ${limit})`,
        received: id,
        fix: 'check that the tokenizer and vocabularySize agree.',
      });
    }
    ids[index] = id;
  }
  return ids;
}

export function checkTokenIdRows(
  site: ArgumentSite,
  value: unknown,
  options: { vocabularySize?: number } = {},
): Int32Array[] {
  if (!Array.isArray(value)) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an array of token-id arrays',
      received: value,
      fix: 'pass one array of token ids per row.',
    });
  }
  return value.map((row, index) =>
    checkTokenIds({ ...site, argumentName: `${site.argumentName}[${index}]` }, row, options),
  );
}

export function checkBinaryMask(site: ArgumentSite, value: unknown, length?: number): Uint8Array {
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) {
    throw new InvalidArgumentError({
      ...site,
      expected: 'an array of 0/1 values',
      received: value,
      fix: 'pass 1 for a real token and 0 for padding.',
    });
  }
  const list = value as unknown as ArrayLike<unknown>;
  if (length !== undefined && list.length !== length) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${length} values of 0 or 1`,
      received: value,
      fix: 'give one value per token.',
    });
  }
  const mask = new Uint8Array(list.length);
  for (let index = 0; index < list.length; index++) {
    const bit = list[index];
    if (bit !== 0 && bit !== 1) {
      throw new InvalidArgumentError({
        ...site,
        argumentName: `${site.argumentName}[${index}]`,
        expected: '0 or 1',
        received: bit,
        fix: 'pass 1 for a real token and 0 for padding.',
      });
    }
    mask[index] = bit;
  }
  return mask;
}

export function checkRandomSource(site: ArgumentSite, value: unknown): RandomSource {
  if (value == null || typeof (value as { nextUint32?: unknown }).nextUint32 !== 'function') {
    throw new InvalidArgumentError({
      ...site,
      expected: 'a RandomSource (from createRng)',
      received: value,
      fix: 'pass createRng(seed), or the random source the training loop gives createBatch.',
    });
  }
  return value as RandomSource;
}

export function checkTensor(
  site: ArgumentSite,
  value: unknown,
  requirements: {
    dtypes: readonly tf.DataType[];
    ranks?: readonly number[];
    shape?: readonly (number | string)[];
    dimensions?: DimensionSizes;
  },
): tf.Tensor {
  const { shape, dimensions } = requirements;
  const tensor = checkCoreTensor(site, value, {
    dtypes: requirements.dtypes,
    ranks: requirements.ranks ?? (shape ? [shape.length] : undefined),
  });
  if (shape === undefined) return tensor;
  const expected = shape.map((size) =>
    typeof size === 'number'
      ? String(size)
      : dimensions?.[size] === undefined
        ? size
        : `${size}=${dimensions[size]}`,
  );
  const fits = shape.every((size, axis) => {
    const actual = tensor.shape[axis]!;
    if (typeof size === 'number') return actual === size;
    const bound = dimensions?.[size];
    if (bound === undefined) {
      if (dimensions) dimensions[size] = actual;
      return true;
    }
    return bound === actual;
  });
  if (!fits) {
    throw new ShapeMismatchError({
      ...site,
      expected: `${requirements.dtypes[0]} [${expected.join(', ')}]`,
      received: tensor,
      fix: 'pass a tensor of the expected shape.',
    });
  }
  return tensor;
}

export function tidyResult<T extends object>(compute: () => T): T {
  return tf.tidy(compute as unknown as () => tf.TensorContainer) as unknown as T;
}

export function gatherFlatRows(
  rows: tf.Tensor,
  flatPositions: Int32Array | tf.Tensor1D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const hidden = rows.shape[rows.rank - 1]!;
    const count = rows.size / hidden;
    const positions =
      flatPositions instanceof Int32Array
        ? tf.tensor2d(flatPositions, [1, flatPositions.length], 'int32')
        : tf.reshape(flatPositions, [1, -1]);
    const table = tf.reshape(rows, [1, count, hidden]);
    return tf.reshape(gatherPositions(table, positions), [-1, hidden]) as tf.Tensor2D;
  });
}

export function truncatedNormalValues(
  random: RandomSource,
  count: number,
  options: { standardDeviation: number; bound?: number },
): Float32Array {
  const { standardDeviation, bound = 2 } = options;
  const values = new Float32Array(count);
  const limit = bound * standardDeviation;
  for (let index = 0; index < count; index++) {
    let value = random.normal(0, standardDeviation);
    while (Math.abs(value) > limit) value = random.normal(0, standardDeviation);
    values[index] = value;
  }
  return values;
}
