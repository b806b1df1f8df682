import { checkNumberInRange } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import { buildTransformer } from './build-transformer';
import { geluTransformerArchitecture } from './gelu-transformer-architecture';
import {
  type ResolvedTransformerConfig,
  resolveTransformerConfig,
  type TransformerConfig,
} from './transformer-config';
import type { CommonInputs, TransformerModel, TransformerOutputs } from './transformer-model';
import type { TransformerSpec } from './transformer-spec';

/** Configuration of {@link createGlmEncoder}: {@link TransformerConfig} plus the block-position table. */
export interface GlmEncoderConfig extends TransformerConfig {
  /** Rows of the block-position table (a span of length $l$ uses $0 \ldots l+1$). Default `maxPositions`. */
  maxBlockPositions?: number;
}

/** {@link GlmEncoderConfig} with every default filled in. */
export interface ResolvedGlmEncoderConfig extends ResolvedTransformerConfig {
  readonly maxBlockPositions: number;
}

/** Inputs of a {@link GlmEncoder}: GLM's 2-D positions and its per-sample mask. */
export interface GlmEncoderInputs extends CommonInputs {
  /** int32 `[B, L]`, required: Part A's own indices; in Part B, the position of the span's mask token. */
  positionIds: tf.Tensor;
  /** int32 `[B, L]`, required: 0 in Part A, $1 \ldots l+1$ within each span of Part B. */
  blockPositionIds: tf.Tensor;
  /**
   * GLM's mask as an additive bias `[B, 1, L, L]` (the GLM objective's `glmAttentionBias(batch)` or
   * core's `prefixLmAttentionBias(separators, L)`: query $i$ sees key $j$ iff $j < \mathrm{sep} \lor j \le i$).
   * Without it every query sees every key.
   */
  attentionBias?: tf.Tensor;
}

/** A GLM encoder: a Transformer with two position tables and a per-sample attention mask. */
export type GlmEncoder = TransformerModel<
  GlmEncoderInputs,
  TransformerOutputs,
  ResolvedGlmEncoderConfig
>;

/**
 * The {@link TransformerSpec} of {@link createGlmEncoder}: its weights, blocks and outputs, before anything
 * is allocated (the Hugging Face import and the parameter counts read it).
 *
 * @internal
 */
export function glmEncoderSpec(
  config: GlmEncoderConfig,
): TransformerSpec<ResolvedGlmEncoderConfig> {
  const functionName = 'createGlmEncoder';
  const base = resolveTransformerConfig(functionName, config, 'pre', ['maxBlockPositions']);
  const maxBlockPositions = checkNumberInRange(
    { functionName, argumentName: 'config.maxBlockPositions' },
    config.maxBlockPositions ?? base.maxPositions,
    { min: 1, max: 1 << 20, integer: true },
    'pass the longest span plus 2, e.g. the sequence length.',
  );
  const resolved: ResolvedGlmEncoderConfig = Object.freeze({ ...base, maxBlockPositions });
  return {
    kind: 'glm-encoder',
    applyName: 'GlmEncoder.apply',
    config: resolved,
    architecture: geluTransformerArchitecture(resolved),
    extraEmbeddings: [
      {
        table: 'embeddings.blockPosition',
        input: 'blockPositionIds',
        rows: maxBlockPositions,
        required: true,
        what: 'block position ids',
      },
    ],
    causal: false,
    requirePositionIds: true,
  };
}

/**
 * Creates a GLM-style encoder: $h_0 = E_{\mathrm{tok}}[x] + E_{\mathrm{pos}}[p] + E_{\mathrm{block}}[q]$
 * with GLM's two separate learned position tables, `numLayers` pre-LN blocks whose attention
 * follows the per-sample bias it is given, a final LayerNorm, and the output projection tied to the
 * token table (`{ hiddenStates, projection }` for core's fused loss).
 *
 * @example
 * const glm = createGlmEncoder({ vocabularySize: 3000 });
 * const bias = prefixLmAttentionBias(separators, length);
 * const { hiddenStates, projection } = glm.apply({ inputIds, positionIds, blockPositionIds, attentionBias: bias });
 */
export function createGlmEncoder(config: GlmEncoderConfig): GlmEncoder {
  return buildTransformer<GlmEncoderInputs, TransformerOutputs, ResolvedGlmEncoderConfig>(
    glmEncoderSpec(config),
  );
}
