import {
  checkOptionsObject,
  checkTensor,
  type DimensionSizes,
  InvalidArgumentError,
} from '@lm-objectives/core';
import {
  checkAttentionBias,
  checkAttentionMask,
  checkIds,
  checkPrefixKeyValues,
} from '../internal/check-inputs';
import type { ResolvedTransformerConfig } from './transformer-config';
import type { CommonInputs } from './transformer-model';
import type { TransformerSpec } from './transformer-spec';

/** The sizes one forward pass runs at, and the position ids it read (rotary positions need them). @internal */
export interface ForwardSizes {
  readonly batchSize: number;
  readonly length: number;
  /** $P$, the prefix keys' length (0 without a prefix). */
  readonly prefixLength: number;
  /** The given `positionIds` as rows, when given. */
  readonly positionRows: number[][] | null;
}

const COMMON_INPUT_KEYS = [
  'inputIds',
  'positionIds',
  'attentionMask',
  'attentionBias',
  'prefixKeyValues',
] as const;

/**
 * Checks the inputs of one forward pass against the spec: known keys, int32 `[B, L]` ids in range
 * (tokens below $V$, positions below `maxPositions`, each extra table's ids below its rows), an
 * optional `[B, L]` padding mask, an additive bias `[B|1, 1, L|1, L]` and per-layer prefix keys and
 * values `[B|1, kvHeads, P, d]` with one $P$.
 *
 * @internal
 */
export function checkForwardInputs<Config extends ResolvedTransformerConfig>(
  spec: TransformerSpec<Config>,
  inputs: CommonInputs,
): ForwardSizes {
  const { applyName, config } = spec;
  const site = (name: string) => ({ functionName: applyName, argumentName: `inputs.${name}` });
  checkOptionsObject({ functionName: applyName, argumentName: 'inputs' }, inputs, {
    required: ['inputIds'],
    allowed: [...COMMON_INPUT_KEYS, ...spec.extraEmbeddings.map((extra) => extra.input)],
  });
  const dimensions: DimensionSizes = {};
  const inputIds = checkTensor(site('inputIds'), inputs.inputIds, {
    dtypes: ['int32'],
    shape: ['batch', 'sequence'],
    dimensions,
  });
  const [batchSize, length] = inputIds.shape as [number, number];
  if (batchSize === 0 || length === 0) {
    throw new InvalidArgumentError({
      ...site('inputIds'),
      expected: 'at least one row of at least one token',
      received: inputIds,
      fix: 'pass a non-empty batch.',
    });
  }
  checkIds(site('inputIds'), inputIds, dimensions, config.vocabularySize, 'token ids');
  let positionRows: number[][] | null = null;
  if (inputs.positionIds !== undefined || spec.requirePositionIds) {
    const positions = checkIds(
      site('positionIds'),
      inputs.positionIds,
      dimensions,
      config.maxPositions,
      'position ids',
    );
    positionRows = positions.arraySync() as number[][];
  } else if (length > config.maxPositions) {
    throw new InvalidArgumentError({
      ...site('inputIds'),
      expected: `sequences of at most config.maxPositions = ${config.maxPositions} tokens`,
      received: inputIds,
      fix: 'truncate the sequences, or build the model with a larger maxPositions.',
    });
  }
  if (inputs.attentionMask !== undefined) {
    checkAttentionMask(site('attentionMask'), inputs.attentionMask, dimensions);
  }
  if (inputs.attentionBias !== undefined) {
    checkAttentionBias(site('attentionBias'), inputs.attentionBias, batchSize, length);
  }
  for (const extra of spec.extraEmbeddings) {
    const ids = (inputs as unknown as Record<string, unknown>)[extra.input];
    if (ids !== undefined || extra.required) {
      checkIds(site(extra.input), ids, dimensions, extra.rows, extra.what);
    }
  }
  const prefixLength =
    inputs.prefixKeyValues === undefined
      ? 0
      : checkPrefixKeyValues(site('prefixKeyValues'), inputs.prefixKeyValues, {
          numLayers: config.numLayers,
          numHeads: spec.architecture.numKeyValueHeads,
          headSize: config.headSize,
          batchSize,
        });
  return { batchSize, length, prefixLength, positionRows };
}
