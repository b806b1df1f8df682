import { checkBoolean, checkNumberInRange, InvalidArgumentError } from '@lm-objectives/core';
import { buildTransformer } from './build-transformer';
import {
  type ResolvedTransformerConfig,
  resolveTransformerConfig,
  type TransformerConfig,
} from './transformer-config';
import type { CommonInputs, TransformerModel, TransformerOutputs } from './transformer-model';
import type { TransformerSpec } from './transformer-spec';

/**
 * Configuration of {@link createLlamaDecoder}: {@link TransformerConfig} without the choices Llama
 * fixes (normalisation placement and activation), plus grouped-query attention, the rotary base
 * and the output tying. `layerNormEpsilon` is the RMSNorm $\epsilon$ (default `1e-6`).
 */
export interface LlamaDecoderConfig
  extends Omit<TransformerConfig, 'normalization' | 'activation'> {
  /** Key/value heads $n_{kv}$; must divide `numHeads`. Default `numHeads` (plain multi-head attention). */
  numKeyValueHeads?: number;
  /** $\theta$ of the rotary frequencies $\theta^{-2i/d}$. Default 10000. */
  ropeTheta?: number;
  /** Use the token table as the output layer (SmolLM does; TinyLlama does not). Default `false`. */
  tieWordEmbeddings?: boolean;
}

/** {@link LlamaDecoderConfig} with every default filled in. */
export interface ResolvedLlamaDecoderConfig extends ResolvedTransformerConfig {
  readonly numKeyValueHeads: number;
  readonly ropeTheta: number;
  readonly tieWordEmbeddings: boolean;
}

/** A Llama-family causal decoder (SmolLM, TinyLlama, and other current small open models). */
export type LlamaDecoder = TransformerModel<
  CommonInputs,
  TransformerOutputs,
  ResolvedLlamaDecoderConfig
>;

const FUNCTION_NAME = 'createLlamaDecoder';

function resolveLlamaConfig(config: LlamaDecoderConfig): ResolvedLlamaDecoderConfig {
  const site = (name: string) => ({ functionName: FUNCTION_NAME, argumentName: `config.${name}` });
  for (const fixed of ['normalization', 'activation'] as const) {
    if (config != null && (config as unknown as Record<string, unknown>)[fixed] !== undefined) {
      throw new InvalidArgumentError({
        ...site(fixed),
        expected:
          'no value: a Llama decoder is always pre-normalised (RMSNorm) with a SwiGLU feed-forward layer',
        received: (config as unknown as Record<string, unknown>)[fixed],
        fix: `leave out ${fixed}, or use createCausalDecoder for a GPT-2-style decoder.`,
      });
    }
  }
  const base = resolveTransformerConfig(
    FUNCTION_NAME,
    { ...config, layerNormEpsilon: config?.layerNormEpsilon ?? 1e-6 },
    'pre',
    ['numKeyValueHeads', 'ropeTheta', 'tieWordEmbeddings'],
  );
  if (base.headSize % 2 !== 0) {
    throw new InvalidArgumentError({
      ...site('numHeads'),
      expected: `a head size hiddenSize / numHeads that is even (rotary positions rotate pairs); hiddenSize is ${base.hiddenSize}`,
      received: base.numHeads,
      fix: 'choose numHeads so that hiddenSize / numHeads is even, e.g. 64 / 4 = 16.',
    });
  }
  const numKeyValueHeads = checkNumberInRange(
    site('numKeyValueHeads'),
    config.numKeyValueHeads ?? base.numHeads,
    { min: 1, max: base.numHeads, integer: true },
    `pass a divisor of numHeads = ${base.numHeads}, e.g. ${base.numHeads} (no grouping) or 1 (one shared key/value head).`,
  );
  if (base.numHeads % numKeyValueHeads !== 0) {
    throw new InvalidArgumentError({
      ...site('numKeyValueHeads'),
      expected: `a divisor of numHeads = ${base.numHeads} (each key/value head serves a whole group of query heads)`,
      received: numKeyValueHeads,
      fix: `pass a divisor of ${base.numHeads}.`,
    });
  }
  return Object.freeze({
    ...base,
    numKeyValueHeads,
    ropeTheta: checkNumberInRange(
      site('ropeTheta'),
      config.ropeTheta ?? 10_000,
      { min: 1, max: 1e12 },
      'pass the rotary base, e.g. 10000 (Llama 2, TinyLlama) or 100000 (SmolLM).',
    ),
    tieWordEmbeddings: checkBoolean(site('tieWordEmbeddings'), config.tieWordEmbeddings, false),
  });
}

/**
 * The {@link TransformerSpec} of {@link createLlamaDecoder}: its weights, blocks and outputs, before anything
 * is allocated (the Hugging Face import and the parameter counts read it).
 *
 * @internal
 */
export function llamaDecoderSpec(
  config: LlamaDecoderConfig,
): TransformerSpec<ResolvedLlamaDecoderConfig> {
  const resolved = resolveLlamaConfig(config);
  return {
    kind: 'llama-decoder',
    applyName: 'LlamaDecoder.apply',
    config: resolved,
    architecture: {
      norm: 'rms',
      positions: 'rotary',
      feedForward: 'swiglu',
      linearBias: false,
      numKeyValueHeads: resolved.numKeyValueHeads,
      ropeTheta: resolved.ropeTheta,
      tiedOutput: resolved.tieWordEmbeddings,
    },
    extraEmbeddings: [],
    causal: true,
    requirePositionIds: false,
  };
}

/**
 * Creates a Llama-family causal decoder: $h_0 = E_\mathrm{tok}[x]$ (no position table), then
 * `numLayers` pre-normalised blocks $h \leftarrow h + A(\mathrm{RMS}(h))$,
 * $h \leftarrow h + F(\mathrm{RMS}(h))$ with
 * - RMSNorm $\mathrm{RMS}(x) = \gamma \odot x / \sqrt{\overline{x^2} + \epsilon}$;
 * - causal attention whose queries and keys are rotated by position in Hugging Face's rotate-half
 *   convention, $q' = q \odot \cos(p\omega) + \mathrm{rotateHalf}(q) \odot \sin(p\omega)$, with
 *   $n_{kv}$ key/value heads each serving $n_h / n_{kv}$ query heads (grouped-query attention);
 * - SwiGLU $F(x) = (\mathrm{silu}(x W_\mathrm{gate}) \odot x W_\mathrm{up}) W_\mathrm{down}$;
 * - no biases;
 *
 * a final RMSNorm, and logits $h W_\mathrm{out}^\top$ through its own `outputHead.weight` `[V, H]`
 * (or the token table with `tieWordEmbeddings`). Named linears `layers.<i>.attention.{query,key,value,output}`
 * and `layers.<i>.feedForward.{gate,intermediate,output}` (gate, up, down) take LoRA; prefix keys
 * and values are `[B|1, numKeyValueHeads, P, d]` (already rotated, as a key cache is).
 *
 * @example
 * const model = createLlamaDecoder({ vocabularySize: 49152, hiddenSize: 576, numLayers: 30, numHeads: 9, numKeyValueHeads: 3, intermediateSize: 1536 });
 * const { loss } = tokenCrossEntropy(model.apply({ inputIds }), inputIds, { shift: true });
 */
export function createLlamaDecoder(config: LlamaDecoderConfig): LlamaDecoder {
  return buildTransformer<CommonInputs, TransformerOutputs, ResolvedLlamaDecoderConfig>(
    llamaDecoderSpec(config),
  );
}
