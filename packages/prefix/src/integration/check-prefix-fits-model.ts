import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import type { PrefixModelSizes } from '../encoder/prefix-model-sizes';
import type { PrefixSource } from '../encoder/prefix-source';
import type { PrefixableModel } from './prefixable-model';

/**
 * Checks that `model` has the prefix hook and the sizes the prefix was made for, and that `prefix`
 * is a prefix.
 * @internal
 */
export function checkPrefixFitsModel(
  functionName: string,
  model: unknown,
  prefix: unknown,
): { model: PrefixableModel; prefix: PrefixSource } {
  const candidate = model as Partial<PrefixableModel> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.apply !== 'function' ||
    typeof candidate.config !== 'object'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'model',
      expected:
        'a model { config: { numLayers, numHeads, numKeyValueHeads?, headSize }, apply(inputs, options) } that accepts inputs.prefixKeyValues',
      received: model,
      fix: 'pass a model of @lm-objectives/models (e.g. createCausalDecoder(...)), or one that implements the PrefixableModel hook.',
    });
  }
  const source = prefix as Partial<PrefixSource> | null;
  if (
    source === null ||
    typeof source !== 'object' ||
    typeof source.keyValues !== 'function' ||
    typeof source.sizes !== 'object'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'prefix',
      expected: 'a prefix (createPrefixEncoder or loadPrefix)',
      received: prefix,
      fix: 'pass createPrefixEncoder(model.config, { numVirtualTokens }) or loadPrefix(checkpoint, model.config).',
    });
  }
  // A model config without numKeyValueHeads has plain multi-head attention.
  const sizeOf = (sizes: PrefixModelSizes, name: keyof PrefixModelSizes) =>
    name === 'numKeyValueHeads' ? (sizes.numKeyValueHeads ?? sizes.numHeads) : sizes[name];
  for (const name of ['numLayers', 'numHeads', 'numKeyValueHeads', 'headSize'] as const) {
    const [expected, received] = [sizeOf(candidate.config!, name), sizeOf(source.sizes!, name)];
    if (expected !== received) {
      throw new ShapeMismatchError({
        functionName,
        argumentName: 'prefix',
        expected: `a prefix for ${name} = ${expected} (the model's)`,
        received: prefix,
        receivedDescription: `a prefix for ${name} = ${received}`,
        fix: 'create the prefix from this model: createPrefixEncoder(model.config, options).',
      });
    }
  }
  return { model: candidate as PrefixableModel, prefix: source as PrefixSource };
}
