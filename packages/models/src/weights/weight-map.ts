import { formatShape, InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** One weight as plain data: its shape and its values in row-major order. */
export interface WeightEntry {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A model's weights by stable name (`'layers.0.attention.query.kernel'`, …), as plain data. */
export type WeightMap = Readonly<Record<string, WeightEntry>>;

/** A {@link WeightMap} as one binary blob plus a JSON-friendly manifest (for files or IndexedDB). */
export interface EncodedWeights {
  /** Names and shapes in blob order; `format` identifies the layout. */
  readonly manifest: {
    readonly format: 'lm-objectives-weights-v1';
    readonly weights: readonly { readonly name: string; readonly shape: readonly number[] }[];
  };
  /** Every weight's float32 values, concatenated in manifest order (host byte order, little-endian everywhere tfjs runs). */
  readonly data: Float32Array;
}

/** Copies the variables' current values into a {@link WeightMap}. @internal */
export function readWeights(weights: Readonly<Record<string, tf.Variable>>): WeightMap {
  const map: Record<string, WeightEntry> = {};
  for (const [name, variable] of Object.entries(weights)) {
    map[name] = { shape: [...variable.shape], data: Float32Array.from(variable.dataSync()) };
  }
  return map;
}

/**
 * Checks a whole {@link WeightMap} against the variables, then assigns it: either every weight is
 * written or, on any error, none is.
 *
 * @internal
 */
export function writeWeights(
  functionName: string,
  weights: Readonly<Record<string, tf.Variable>>,
  map: unknown,
): void {
  if (map == null || typeof map !== 'object' || Array.isArray(map)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'weights',
      expected: 'an object { name: { shape, data: Float32Array } }, as getWeights() returns',
      received: map,
      fix: 'pass the result of model.getWeights() or decodeWeights(...).',
    });
  }
  const entries = map as Record<string, unknown>;
  const names = Object.keys(weights);
  for (const name of Object.keys(entries)) {
    if (!Object.hasOwn(weights, name)) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `weights['${name}']`,
        expected: `only names of this model's weights (it has ${names.length}, e.g. '${names[0]}')`,
        received: name,
        fix: 'load weights saved from a model of the same kind and configuration.',
      });
    }
  }
  const checked: [tf.Variable, Float32Array][] = [];
  for (const name of names) {
    const variable = weights[name]!;
    const entry = entries[name] as { shape?: unknown; data?: unknown } | undefined;
    const site = { functionName, argumentName: `weights['${name}']` };
    if (entry == null) {
      throw new InvalidArgumentError({
        ...site,
        expected: `an entry of shape ${formatShape(variable.shape)} (every weight of the model must be given)`,
        received: entry,
        fix: 'load a complete weight map saved from a model of the same kind and configuration.',
      });
    }
    const shape = entry.shape;
    if (
      !Array.isArray(shape) ||
      shape.length !== variable.rank ||
      shape.some((size, axis) => size !== variable.shape[axis])
    ) {
      throw new ShapeMismatchError({
        ...site,
        expected: `shape ${formatShape(variable.shape)}`,
        received: shape,
        receivedDescription: Array.isArray(shape) ? `shape ${formatShape(shape)}` : undefined,
        fix: 'the saved model was built with another configuration (vocabularySize, hiddenSize, numLayers, …): build the model with the same one.',
      });
    }
    const data = entry.data;
    const values =
      data instanceof Float32Array ? data : Array.isArray(data) ? Float32Array.from(data) : null;
    if (values === null || values.length !== variable.size) {
      throw new ShapeMismatchError({
        ...site,
        expected: `data: a Float32Array (or number array) of ${variable.size} values`,
        received: data,
        fix: 'store the values in row-major order, as getWeights() returns them.',
      });
    }
    for (let index = 0; index < values.length; index++) {
      if (!Number.isFinite(values[index])) {
        throw new InvalidArgumentError({
          ...site,
          expected: 'finite values',
          received: values[index],
          receivedDescription: `${values[index]} at flat index ${index}`,
          fix: 'the saved weights are corrupt (a diverged run?): load an earlier checkpoint.',
        });
      }
    }
    checked.push([variable, values]);
  }
  for (const [variable, values] of checked) {
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
  }
}

/** Packs a {@link WeightMap} into one `Float32Array` plus a manifest (names and shapes in order). */
export function encodeWeights(weights: WeightMap): EncodedWeights {
  const list = Object.entries(weights);
  const total = list.reduce((sum, [, entry]) => sum + entry.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const [, entry] of list) {
    data.set(entry.data, offset);
    offset += entry.data.length;
  }
  return {
    manifest: {
      format: 'lm-objectives-weights-v1',
      weights: list.map(([name, entry]) => ({ name, shape: [...entry.shape] })),
    },
    data,
  };
}

/** Unpacks {@link encodeWeights}' output into a {@link WeightMap} (views into `encoded.data`, no copy). */
export function decodeWeights(encoded: EncodedWeights): WeightMap {
  const functionName = 'decodeWeights';
  const manifest = encoded?.manifest;
  if (manifest?.format !== 'lm-objectives-weights-v1' || !Array.isArray(manifest.weights)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'encoded.manifest',
      expected: "a manifest with format 'lm-objectives-weights-v1' and a weights list",
      received: manifest,
      fix: 'pass the unchanged output of encodeWeights (its manifest and data).',
    });
  }
  const data = encoded.data;
  if (!(data instanceof Float32Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'encoded.data',
      expected: 'a Float32Array',
      received: data,
      fix: 'wrap the stored bytes: new Float32Array(arrayBuffer).',
    });
  }
  const map: Record<string, WeightEntry> = {};
  let offset = 0;
  for (const { name, shape } of manifest.weights) {
    const size = shape.reduce((product: number, dimension: number) => product * dimension, 1);
    if (offset + size > data.length) {
      throw new ShapeMismatchError({
        functionName,
        argumentName: 'encoded.data',
        expected: `at least ${offset + size} values (the manifest's weights up to '${name}')`,
        received: data,
        fix: 'the blob is truncated: save it again.',
      });
    }
    map[name] = { shape: [...shape], data: data.subarray(offset, offset + size) };
    offset += size;
  }
  if (offset !== data.length) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: 'encoded.data',
      expected: `exactly ${offset} values (the manifest's weights)`,
      received: data,
      fix: 'the manifest and the blob come from different saves: keep them together.',
    });
  }
  return map;
}
