import {
  checkNumberInRange,
  checkOneOf,
  checkOptionsObject,
  InvalidArgumentError,
} from '@lm-objectives/core';

/** Where layer normalisation sits in each block. */
export type NormalizationPlacement =
  /** After each residual sum, plus one over the embeddings (BERT): $h \leftarrow \mathrm{LN}(h + f(h))$. */
  | 'post'
  /** Before each sub-layer, plus one after the last block (GPT-2, GLM): $h \leftarrow h + f(\mathrm{LN}(h))$. */
  | 'pre';

/** The GELU of the feed-forward layers (and of BERT's masked-LM transform). */
export type GeluActivation =
  /** $\tfrac12 x(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))$: GPT-2's `gelu_new`, Hugging Face's `gelu_pytorch_tanh`. */
  | 'gelu-tanh'
  /** $x\,\Phi(x)$ with the exact Gaussian CDF: Hugging Face BERT's `gelu`. */
  | 'gelu-exact';

/** The sizes and settings every model of this package shares. Only `vocabularySize` is required. */
export interface TransformerConfig {
  /** $V$, rows of the token embedding table (the tokenizer's vocabulary size). */
  vocabularySize: number;
  /** $H$. Default 64. */
  hiddenSize?: number;
  /** Transformer blocks. Default 2. */
  numLayers?: number;
  /** Attention heads; must divide `hiddenSize`. Default 4. */
  numHeads?: number;
  /** Width of the feed-forward layer. Default `4 · hiddenSize`. */
  intermediateSize?: number;
  /** Rows of the position table: the longest sequence the model accepts. Default 128. */
  maxPositions?: number;
  /** Default: `'post'` for the BERT encoder, `'pre'` for the GLM encoder and the causal decoder. */
  normalization?: NormalizationPlacement;
  /** LayerNorm $\epsilon$. Default `1e-12` (BERT) with `'post'`, `1e-5` (GPT-2, GLM) with `'pre'`. */
  layerNormEpsilon?: number;
  /** $\sigma$ of the truncated normal (cut at $\pm 2\sigma$) every kernel and table starts from. Default 0.02. */
  initializerRange?: number;
  /** The feed-forward GELU. Default `'gelu-tanh'`; Hugging Face's BERT checkpoints use `'gelu-exact'`. */
  activation?: GeluActivation;
  /** Dropout on embeddings and sub-layer outputs while training. Default 0 (off). */
  hiddenDropout?: number;
  /** Dropout on attention probabilities while training. Default 0 (off). */
  attentionDropout?: number;
  /** Seed of the initial weights (through core's `createRng`). Default 0. */
  seed?: number;
}

/** {@link TransformerConfig} with every default filled in. */
export interface ResolvedTransformerConfig {
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  /** `hiddenSize / numHeads`. */
  readonly headSize: number;
  readonly intermediateSize: number;
  readonly maxPositions: number;
  readonly normalization: NormalizationPlacement;
  readonly layerNormEpsilon: number;
  readonly initializerRange: number;
  readonly activation: GeluActivation;
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly seed: number;
}

/** The keys of {@link TransformerConfig}. */
export const TRANSFORMER_CONFIG_KEYS = [
  'vocabularySize',
  'hiddenSize',
  'numLayers',
  'numHeads',
  'intermediateSize',
  'maxPositions',
  'normalization',
  'layerNormEpsilon',
  'initializerRange',
  'activation',
  'hiddenDropout',
  'attentionDropout',
  'seed',
] as const;

const LIMIT = 1 << 20;

/**
 * Validates a {@link TransformerConfig} (and the extra keys a model accepts) and fills in defaults.
 * @internal
 */
export function resolveTransformerConfig(
  functionName: string,
  config: unknown,
  defaultNormalization: NormalizationPlacement,
  extraKeys: readonly string[] = [],
): ResolvedTransformerConfig {
  const given = checkOptionsObject({ functionName, argumentName: 'config' }, config, {
    required: ['vocabularySize'],
    allowed: [...TRANSFORMER_CONFIG_KEYS, ...extraKeys],
  });
  const site = (name: string) => ({ functionName, argumentName: `config.${name}` });
  const integer = (name: string, fallback: number | undefined, min: number, fix: string) =>
    checkNumberInRange(
      site(name),
      given[name] ?? fallback,
      { min, max: LIMIT, integer: true },
      fix,
    );
  const vocabularySize = integer(
    'vocabularySize',
    undefined,
    2,
    "pass the tokenizer's vocabulary size, e.g. { vocabularySize: tokenizer.vocabularySize }.",
  );
  const hiddenSize = integer('hiddenSize', 64, 1, 'pass the hidden size H, e.g. 64.');
  const numLayers = integer('numLayers', 2, 1, 'pass the number of blocks, e.g. 2.');
  const numHeads = integer('numHeads', 4, 1, 'pass the number of attention heads, e.g. 4.');
  if (hiddenSize % numHeads !== 0) {
    throw new InvalidArgumentError({
      ...site('numHeads'),
      expected: `a divisor of hiddenSize ${hiddenSize}`,
      received: numHeads,
      fix: 'choose numHeads so that hiddenSize / numHeads is an integer (e.g. 64 and 4).',
    });
  }
  const normalization = given['normalization'] ?? defaultNormalization;
  if (normalization !== 'post' && normalization !== 'pre') {
    throw new InvalidArgumentError({
      ...site('normalization'),
      expected: "'post' or 'pre'",
      received: normalization,
      fix: "pass 'post' (BERT) or 'pre' (GPT-2, GLM).",
    });
  }
  const dropoutFix = 'pass a probability in [0, 1), e.g. 0.1; 0 turns dropout off.';
  return Object.freeze({
    vocabularySize,
    hiddenSize,
    numLayers,
    numHeads,
    headSize: hiddenSize / numHeads,
    intermediateSize: integer(
      'intermediateSize',
      4 * hiddenSize,
      1,
      'pass the feed-forward width, e.g. 4 · hiddenSize.',
    ),
    maxPositions: integer('maxPositions', 128, 1, 'pass the longest sequence length, e.g. 128.'),
    normalization,
    layerNormEpsilon: checkNumberInRange(
      site('layerNormEpsilon'),
      given['layerNormEpsilon'] ?? (normalization === 'post' ? 1e-12 : 1e-5),
      { min: 0, max: 1, minExclusive: true },
      'pass a small positive number, e.g. 1e-12 (BERT) or 1e-5 (GPT-2).',
    ),
    initializerRange: checkNumberInRange(
      site('initializerRange'),
      given['initializerRange'] ?? 0.02,
      { min: 0, max: 10 },
      'pass a small standard deviation, e.g. 0.02.',
    ),
    activation: checkOneOf(
      site('activation'),
      given['activation'],
      ['gelu-tanh', 'gelu-exact'] as const,
      'gelu-tanh',
    ),
    hiddenDropout: checkNumberInRange(
      site('hiddenDropout'),
      given['hiddenDropout'] ?? 0,
      { min: 0, max: 1, maxExclusive: true },
      dropoutFix,
    ),
    attentionDropout: checkNumberInRange(
      site('attentionDropout'),
      given['attentionDropout'] ?? 0,
      { min: 0, max: 1, maxExclusive: true },
      dropoutFix,
    ),
    seed: checkNumberInRange(
      site('seed'),
      given['seed'] ?? 0,
      { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
      'pass a non-negative integer seed.',
    ),
  });
}
