import { checkInteger, InvalidArgumentError } from '@lm-objectives/core';
import {
  PREFIX_CHECKPOINT_FORMAT,
  PREFIX_CHECKPOINT_VERSION,
  PREFIX_LAYOUT,
  PREFIX_LAYOUT_BEFORE_KEY_VALUE_HEADS,
  type PrefixCheckpoint,
} from './prefix-checkpoint';

/**
 * Checks that `value` is a well-formed {@link PrefixCheckpoint} of this format and version, with
 * as many values as its metadata says (their finiteness is `loadPrefix`'s to check). Returns it
 * typed, with the metadata of a checkpoint written before `numKeyValueHeads` was recorded brought
 * up to date (`numKeyValueHeads` = `numHeads`, the current layout string).
 * @internal
 */
export function checkPrefixCheckpoint(
  functionName: string,
  argumentName: string,
  value: unknown,
): PrefixCheckpoint {
  const problem = (name: string, expected: string, received: unknown, fix: string) =>
    new InvalidArgumentError({
      functionName,
      argumentName: `${argumentName}${name}`,
      expected,
      received,
      fix,
    });
  const checkpoint = value as Partial<PrefixCheckpoint> | null;
  if (
    checkpoint === null ||
    typeof checkpoint !== 'object' ||
    typeof checkpoint.metadata !== 'object' ||
    checkpoint.metadata === null
  ) {
    throw problem(
      '',
      'a prefix checkpoint { metadata, keyValues }',
      value,
      'pass what exportPrefix (or decodePrefixCheckpoint) returned.',
    );
  }
  const metadata = checkpoint.metadata as unknown as Record<string, unknown>;
  if (metadata['format'] !== PREFIX_CHECKPOINT_FORMAT) {
    throw problem(
      '.metadata.format',
      `'${PREFIX_CHECKPOINT_FORMAT}'`,
      metadata['format'],
      'pass a checkpoint written by exportPrefix.',
    );
  }
  if (metadata['formatVersion'] !== PREFIX_CHECKPOINT_VERSION) {
    throw problem(
      '.metadata.formatVersion',
      `version ${PREFIX_CHECKPOINT_VERSION} (the one this release reads)`,
      metadata['formatVersion'],
      'export the prefix again with this release, or load it with the release that wrote it.',
    );
  }
  const olderLayout =
    metadata['layout'] === PREFIX_LAYOUT_BEFORE_KEY_VALUE_HEADS &&
    metadata['numKeyValueHeads'] === undefined;
  if (metadata['layout'] !== PREFIX_LAYOUT && !olderLayout) {
    throw problem(
      '.metadata.layout',
      `'${PREFIX_LAYOUT}'`,
      metadata['layout'],
      'pass a checkpoint written by exportPrefix.',
    );
  }
  if (typeof metadata['trainedWithProjection'] !== 'boolean') {
    throw problem(
      '.metadata.trainedWithProjection',
      'true or false',
      metadata['trainedWithProjection'],
      'pass a checkpoint written by exportPrefix.',
    );
  }
  const size = (name: string, min: number) =>
    checkInteger(
      { functionName, argumentName: `${argumentName}.metadata.${name}` },
      metadata[name],
      { min, max: 1 << 20 },
      'pass an unmodified checkpoint written by exportPrefix.',
    );
  const numHeads = size('numHeads', 1);
  const numKeyValueHeads =
    metadata['numKeyValueHeads'] === undefined ? numHeads : size('numKeyValueHeads', 1);
  if (numHeads % numKeyValueHeads !== 0) {
    throw problem(
      '.metadata.numKeyValueHeads',
      `a divisor of numHeads = ${numHeads}`,
      numKeyValueHeads,
      'pass an unmodified checkpoint written by exportPrefix.',
    );
  }
  const expectedLength =
    size('numLayers', 1) * 2 * numKeyValueHeads * size('numVirtualTokens', 0) * size('headSize', 1);
  if (
    !(checkpoint.keyValues instanceof Float32Array) ||
    checkpoint.keyValues.length !== expectedLength
  ) {
    throw problem(
      '.keyValues',
      `a Float32Array of ${expectedLength} values (numLayers · 2 · numKeyValueHeads · numVirtualTokens · headSize)`,
      checkpoint.keyValues,
      'pass an unmodified checkpoint: its values do not match its metadata.',
    );
  }
  const checked = checkpoint as PrefixCheckpoint;
  if (!olderLayout) return checked;
  return {
    metadata: { ...checked.metadata, numKeyValueHeads, layout: PREFIX_LAYOUT },
    keyValues: checked.keyValues,
  };
}
