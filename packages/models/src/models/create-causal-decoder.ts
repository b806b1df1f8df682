import { buildTransformer } from './build-transformer';
import { geluTransformerArchitecture } from './gelu-transformer-architecture';
import {
  type ResolvedTransformerConfig,
  resolveTransformerConfig,
  type TransformerConfig,
} from './transformer-config';
import type { CommonInputs, TransformerModel, TransformerOutputs } from './transformer-model';
import type { TransformerSpec } from './transformer-spec';

/** Configuration of {@link createCausalDecoder}. */
export type CausalDecoderConfig = TransformerConfig;

/** Inputs of a {@link CausalDecoder}. */
export type CausalDecoderInputs = CommonInputs;

/** A causal (left-to-right) Transformer decoder with an output layer tied to its input embeddings (GPT-2). */
export type CausalDecoder = TransformerModel<
  CausalDecoderInputs,
  TransformerOutputs,
  ResolvedTransformerConfig
>;

/**
 * The {@link TransformerSpec} of {@link createCausalDecoder}: its weights, blocks and outputs, before anything
 * is allocated (the Hugging Face import and the parameter counts read it).
 *
 * @internal
 */
export function causalDecoderSpec(
  config: CausalDecoderConfig,
): TransformerSpec<ResolvedTransformerConfig> {
  const resolved = resolveTransformerConfig('createCausalDecoder', config, 'pre');
  return {
    kind: 'causal-decoder',
    applyName: 'CausalDecoder.apply',
    config: resolved,
    architecture: geluTransformerArchitecture(resolved),
    extraEmbeddings: [],
    causal: true,
    requirePositionIds: false,
  };
}

/**
 * Creates a GPT-2-style causal decoder: $h_0 = E_{\mathrm{tok}}[x] + E_{\mathrm{pos}}[p]$, then
 * `numLayers` pre-LN blocks in which query $i$ attends to key $j$ only if $j \le i$ (and the
 * padding mask and any `attentionBias`, e.g. LoRA's `segmentCausalAttentionBias` for packed rows,
 * allow it), a final LayerNorm, and logits $h E_{\mathrm{tok}}^\top$ through the tied projection.
 *
 * **Prefix hook:** `inputs.prefixKeyValues` prepends per-layer keys and values that every query
 * sees (prefix tuning; or the `keyValues` of an earlier call, to continue a sequence — then pass the
 * continuation's `positionIds`), so the query length $L$ may differ from the key length $P + L$.
 *
 * @example
 * const decoder = createCausalDecoder({ vocabularySize: 3000 });
 * const outputs = decoder.apply({ inputIds, attentionMask });
 * const { loss } = tokenCrossEntropy(outputs, labels, { shift: true });
 */
export function createCausalDecoder(config: CausalDecoderConfig): CausalDecoder {
  return buildTransformer<CausalDecoderInputs, TransformerOutputs, ResolvedTransformerConfig>(
    causalDecoderSpec(config),
  );
}
