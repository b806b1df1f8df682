import { checkOptionKeys, InvalidArgumentError, isTensor } from '@lm-objectives/core';
import { writeSafetensors } from '@lm-objectives/safetensors';
import type * as tf from '@tensorflow/tfjs-core';
import type { ResolvedBertEncoderConfig } from '../models/create-bert-encoder';
import type { ResolvedTransformerConfig } from '../models/transformer-config';
import type { TransformerModel } from '../models/transformer-model';
import type { ArchitectureLayout, HuggingFaceArchitecture } from './architecture-layout';
import { ARCHITECTURE_LAYOUTS } from './architecture-layouts';
import { writeHuggingFaceLayout } from './tensor-mapping';

/**
 * The BERT objective's head weights (`createBertObjective(...).weights` of `@lm-objectives/bert`
 * has this shape), exported as `BertForPreTraining`'s heads when the encoder has none of its own.
 */
export interface BertHeadWeightsLike {
  /** The masked-LM transform $\mathrm{LN}(\mathrm{gelu}(hW + b))$ and the decoder's own bias. */
  readonly maskedLm: {
    /** `[H, H]` → `cls.predictions.transform.dense`. */
    readonly transformKernel: tf.Tensor;
    /** `[H]`. */
    readonly transformBias: tf.Tensor;
    /** `[H]` → `cls.predictions.transform.LayerNorm.weight`. */
    readonly layerNormGamma: tf.Tensor;
    /** `[H]`. */
    readonly layerNormBeta: tf.Tensor;
    /** `[V]` → `cls.predictions.bias`. */
    readonly outputBias: tf.Tensor;
  };
  /** The next-sentence classifier (and the pooler, when the objective owns it). */
  readonly nextSentence: {
    /** `[H, H]`: the objective's own pooler → `bert.pooler.dense`, when the encoder has none. */
    readonly poolerKernel?: tf.Tensor | undefined;
    /** `[H]`. */
    readonly poolerBias?: tf.Tensor | undefined;
    /** `[H, 2]` → `cls.seq_relationship`. */
    readonly classifierKernel: tf.Tensor;
    /** `[2]`. */
    readonly classifierBias: tf.Tensor;
  };
}

/** Options of {@link exportHuggingFaceModel}. */
export interface ExportHuggingFaceOptions {
  /**
   * Heads trained by the BERT objective, for a BERT encoder built without `preTrainingHeads`. The
   * objective's masked-LM transform uses the tanh GELU, so the encoder must too (`activation: 'gelu-tanh'`).
   */
  bertHeads?: BertHeadWeightsLike;
}

/** What {@link exportHuggingFaceModel} returns: the two files of a Hugging Face model folder. */
export interface HuggingFaceModelFiles {
  /** The architecture written into `config.json`. */
  readonly architecture: HuggingFaceArchitecture;
  /** `config.json` as an object (Hugging Face's key names). */
  readonly config: Readonly<Record<string, unknown>>;
  /** `config.json` as text (sorted keys, two-space indent, as `save_pretrained` writes it). */
  readonly configJson: string;
  /** `model.safetensors` (float32, Hugging Face's tensor names). */
  readonly weights: Uint8Array;
}

const FUNCTION_NAME = 'exportHuggingFaceModel';

function refuse(argumentName: string, expected: string, received: unknown, fix: string): never {
  throw new InvalidArgumentError({
    functionName: FUNCTION_NAME,
    argumentName,
    expected,
    received,
    fix,
  });
}

/** Our weights by name as float32 arrays, with the BERT objective's heads filled in when given. */
function collectWeights(model: TransformerModel, heads: BertHeadWeightsLike | undefined) {
  const values = (tensor: tf.Tensor) => tensor.dataSync() as Float32Array;
  const read = (name: string): Float32Array => values(model.weights[name]!);
  if (heads === undefined) return read;
  const { maskedLm, nextSentence } = heads;
  const pooler = nextSentence.poolerKernel && nextSentence.poolerBias;
  const fromHeads: Record<string, tf.Tensor | undefined> = {
    'heads.maskedLm.transform.kernel': maskedLm.transformKernel,
    'heads.maskedLm.transform.bias': maskedLm.transformBias,
    'heads.maskedLm.layerNorm.gamma': maskedLm.layerNormGamma,
    'heads.maskedLm.layerNorm.beta': maskedLm.layerNormBeta,
    'heads.maskedLm.outputBias': maskedLm.outputBias,
    'heads.nextSentence.kernel': nextSentence.classifierKernel,
    'heads.nextSentence.bias': nextSentence.classifierBias,
    ...(pooler
      ? {
          'pooler.dense.kernel': nextSentence.poolerKernel,
          'pooler.dense.bias': nextSentence.poolerBias,
        }
      : {}),
  };
  for (const [name, tensor] of Object.entries(fromHeads)) {
    if (!isTensor(tensor) || tensor.isDisposed)
      refuse(
        'options.bertHeads',
        `a live tensor for ${name}`,
        tensor,
        'pass createBertObjective(...).weights while the objective is alive.',
      );
  }
  return (name: string) => (name in fromHeads ? values(fromHeads[name]!) : read(name));
}

/** The layout a model exports to, and the configuration its tensors are laid out from. */
function exportLayout(
  model: TransformerModel,
  heads: BertHeadWeightsLike | undefined,
): { layout: ArchitectureLayout; config: ResolvedTransformerConfig } {
  const config = model?.config;
  if (model?.kind === 'glm-encoder' || config === undefined) {
    refuse(
      'model',
      'a BERT encoder, a causal decoder or a Llama decoder',
      model?.kind ?? model,
      "GLM's two position tables have no Hugging Face architecture here; save it with encodeWeights(model.getWeights()).",
    );
  }
  if (model.kind === 'llama-decoder')
    return { layout: ARCHITECTURE_LAYOUTS.LlamaForCausalLM, config };
  if (model.kind === 'causal-decoder') {
    if (config.normalization !== 'pre')
      refuse(
        'model.config.normalization',
        "'pre' (GPT-2 normalises before each sub-layer)",
        config.normalization,
        'build the decoder with normalization: "pre" to export it as GPT-2.',
      );
    return { layout: ARCHITECTURE_LAYOUTS.GPT2LMHeadModel, config };
  }
  const bert = config as ResolvedBertEncoderConfig;
  if (bert.normalization !== 'post')
    refuse(
      'model.config.normalization',
      "'post' (BERT normalises after each residual sum)",
      bert.normalization,
      'build the encoder with normalization: "post" to export it as BERT.',
    );
  if (!bert.preTrainingHeads && heads === undefined) {
    refuse(
      'options.bertHeads',
      "the masked-LM and next-sentence heads of BertForPreTraining: build the encoder with preTrainingHeads: true, or pass the BERT objective's heads",
      undefined,
      'pass { bertHeads: objective.weights }.',
    );
  }
  if (heads !== undefined) {
    if (bert.preTrainingHeads)
      refuse(
        'options.bertHeads',
        'no bertHeads: this encoder has its own pre-training heads',
        'bertHeads',
        'leave out bertHeads, or build the encoder without preTrainingHeads.',
      );
    if (bert.activation !== 'gelu-tanh')
      refuse(
        'model.config.activation',
        "'gelu-tanh' with bertHeads (BERT has one hidden_act, and the BERT objective's transform uses the tanh GELU)",
        bert.activation,
        "build the encoder with activation: 'gelu-tanh'.",
      );
    if (!bert.pooler && !heads.nextSentence.poolerKernel)
      refuse(
        'options.bertHeads.nextSentence.poolerKernel',
        'a pooler (the encoder has none)',
        undefined,
        "create the objective with pooler: 'objective', or the encoder with pooler: true.",
      );
  }
  return {
    layout: ARCHITECTURE_LAYOUTS.BertForPreTraining,
    config: { ...bert, pooler: true, preTrainingHeads: true } as ResolvedTransformerConfig,
  };
}

/**
 * Exports a model in the Hugging Face layout, ready for `from_pretrained`: a causal decoder as
 * `GPT2LMHeadModel` (query, key and value fused into `c_attn`), a Llama decoder as
 * `LlamaForCausalLM`, a BERT encoder with pre-training heads (its own, or the BERT objective's
 * given as `bertHeads`) as `BertForPreTraining`. `nn.Linear` weights are transposed to `[out, in]`.
 *
 * Where a model differs from the architecture, `config.json` says so in Hugging Face's own terms
 * (`hidden_act: "gelu_new"` for a BERT with the tanh GELU, `activation_function: "gelu"` for a
 * GPT-2 with the exact one); what no key can express is refused, with the reason: the GLM encoder,
 * a post-LN causal decoder, a pre-LN BERT, a BERT without heads.
 *
 * @example
 * const { configJson, weights } = exportHuggingFaceModel(model);
 * writeFileSync('out/config.json', configJson);
 * writeFileSync('out/model.safetensors', weights);
 * // Python: GPT2LMHeadModel.from_pretrained('out')
 */
export function exportHuggingFaceModel(
  model: TransformerModel,
  options: ExportHuggingFaceOptions = {},
): HuggingFaceModelFiles {
  checkOptionKeys(FUNCTION_NAME, options, ['bertHeads']);
  const { layout, config } = exportLayout(model, options.bertHeads);
  const read = collectWeights(model, options.bertHeads);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const mapping of layout.tensors(config)) {
    const data = new Float32Array(mapping.shape.reduce((product, size) => product * size, 1));
    for (const { weight, conversion } of mapping.parts) {
      writeHuggingFaceLayout(data, mapping.shape, read(weight), conversion);
    }
    tensors.set(mapping.name, { shape: [...mapping.shape], data });
  }
  const written = layout.writeConfig(config);
  const sorted = Object.fromEntries(
    Object.entries(written).sort(([left], [right]) => (left < right ? -1 : 1)),
  );
  return {
    architecture: layout.architecture,
    config: sorted,
    configJson: `${JSON.stringify(sorted, null, 2)}\n`,
    weights: writeSafetensors(tensors, { format: 'pt' }),
  };
}
