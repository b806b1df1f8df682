import {
  type CausalDecoder,
  createCausalDecoder,
  type TransformerModel,
  type WeightMap,
} from '@lm-objectives/models';
import { readSafetensors, writeSafetensors } from '@lm-objectives/safetensors';
import * as tf from '@tensorflow/tfjs-core';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import type { DemoTaskId } from './demo-task';
import { toFloat16Bits } from './float16-bits';

/** The `format` metadata of the demo's checkpoints. */
export const CHECKPOINT_FORMAT = 'lm-objectives-demo-checkpoint-v1';

/** What a checkpoint says about itself (its safetensors `__metadata__`). */
export interface CheckpointMetadata {
  /** {@link CHECKPOINT_FORMAT}. */
  readonly format: string;
  /** The demo task that trained the weights, e.g. `'causal'`. */
  readonly task: string;
  /** The model's size: `vocabularySize`, `hiddenSize`, `numLayers`, `numHeads`, `maxPositions`, `initializerRange`. */
  readonly config: Readonly<Record<string, number>>;
  /** {@link vocabularyFingerprint} of the vocabulary the weights were trained with. */
  readonly vocabulary: string;
  /** How it was trained and what it reached, for the README and the report (free-form strings). */
  readonly training: Readonly<Record<string, string>>;
}

/** The model sizes a checkpoint records (and that must match to load it). */
const CONFIG_KEYS = [
  'vocabularySize',
  'hiddenSize',
  'numLayers',
  'numHeads',
  'maxPositions',
  'initializerRange',
] as const;

/**
 * A short fingerprint of a vocabulary (FNV-1a, 32 bits, over its tokens in order): a checkpoint
 * only fits the vocabulary it was trained with.
 */
export function vocabularyFingerprint(tokenizer: WordPieceTokenizer): string {
  let hash = 0x811c9dc5;
  for (const token of tokenizer.vocabulary) {
    for (const character of `${token}\n`) {
      hash ^= character.codePointAt(0)!;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return `${tokenizer.vocabularySize}-${hash.toString(16).padStart(8, '0')}`;
}

/** The name under which a checkpoint stores the objective's `index`-th trainable weight. */
function headName(index: number): string {
  return `objective.${index}`;
}

/** What a checkpoint holds besides the model: the task that trained it and the objective's heads. */
export interface CheckpointContents {
  /** The demo task that trained the weights. Default `'causal'`. */
  readonly task?: DemoTaskId;
  /** The objective's trainable weights, in `trainableWeights()` order (BERT's heads). Default none. */
  readonly heads?: readonly tf.Variable[];
}

/**
 * A model's weights (and its objective's heads) as a float16 safetensors file (half the size of
 * float32; the demo's models lose nothing measurable), with {@link CheckpointMetadata} in
 * `__metadata__`.
 */
export function encodeCheckpoint(
  model: TransformerModel,
  tokenizer: WordPieceTokenizer,
  training: Readonly<Record<string, string>>,
  contents: CheckpointContents = {},
): Uint8Array {
  const entries = [
    ...Object.entries(model.getWeights()),
    ...(contents.heads ?? []).map((variable, index): [string, WeightMap[string]] => [
      headName(index),
      { shape: variable.shape, data: variable.dataSync() as Float32Array },
    ]),
  ];
  const tensors = Object.fromEntries(
    entries.map(([name, entry]) => [
      name,
      { dtype: 'F16' as const, shape: entry.shape, data: toFloat16Bits(entry.data) },
    ]),
  );
  const config = Object.fromEntries(CONFIG_KEYS.map((key) => [key, model.config[key]]));
  return writeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    task: contents.task ?? 'causal',
    config: JSON.stringify(config),
    vocabulary: vocabularyFingerprint(tokenizer),
    training: JSON.stringify(training),
  });
}

/** A checkpoint that cannot be used with this demo (wrong format, vocabulary or contents). */
export class CheckpointMismatchError extends Error {
  override readonly name = 'CheckpointMismatchError';
}

/** Reads a checkpoint written by {@link encodeCheckpoint}: its metadata and float32 weights. */
export function decodeCheckpoint(bytes: Uint8Array): {
  readonly metadata: CheckpointMetadata;
  readonly weights: WeightMap;
} {
  const { tensors, metadata } = readSafetensors(bytes);
  if (metadata['format'] !== CHECKPOINT_FORMAT) {
    throw new CheckpointMismatchError(
      `decodeCheckpoint: expected a demo checkpoint (__metadata__.format "${CHECKPOINT_FORMAT}"); received format ${JSON.stringify(metadata['format'])}. Fix: write it with \`pnpm --filter @lm-objectives/demo checkpoints\`.`,
    );
  }
  const weights: Record<string, WeightMap[string]> = {};
  for (const [name, tensor] of tensors) {
    weights[name] = { shape: tensor.shape, data: Float32Array.from(tensor.data as Float32Array) };
  }
  return {
    metadata: {
      format: metadata['format'],
      task: metadata['task'] ?? '',
      config: JSON.parse(metadata['config'] ?? '{}') as Record<string, number>,
      vocabulary: metadata['vocabulary'] ?? '',
      training: JSON.parse(metadata['training'] ?? '{}') as Record<string, string>,
    },
    weights,
  };
}

/**
 * The causal decoder of a checkpoint, built with the recorded sizes and loaded with its weights.
 *
 * @throws {CheckpointMismatchError} when the checkpoint is not a causal model of this vocabulary.
 */
export function loadCausalCheckpoint(
  bytes: Uint8Array,
  tokenizer: WordPieceTokenizer,
): { readonly model: CausalDecoder; readonly metadata: CheckpointMetadata } {
  const { metadata, weights } = decodeCheckpoint(bytes);
  const fingerprint = vocabularyFingerprint(tokenizer);
  if (metadata.task !== 'causal' || metadata.vocabulary !== fingerprint) {
    throw new CheckpointMismatchError(
      `loadCausalCheckpoint: expected a causal-model checkpoint of vocabulary ${fingerprint}; received task ${JSON.stringify(metadata.task)}, vocabulary ${JSON.stringify(metadata.vocabulary)}. Fix: retrain it with \`pnpm --filter @lm-objectives/demo checkpoints\` after changing the vocabulary.`,
    );
  }
  const model = createCausalDecoder({
    ...metadata.config,
    vocabularySize: tokenizer.vocabularySize,
  });
  try {
    model.setWeights(weights);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, metadata };
}

/**
 * Loads a checkpoint of `task` into a freshly built model of the same sizes (and its objective's
 * heads): how BERT and GLM start from their shipped checkpoints.
 *
 * @throws {CheckpointMismatchError} when the checkpoint is of another task, vocabulary or size.
 */
export function restoreCheckpoint(
  bytes: Uint8Array,
  tokenizer: WordPieceTokenizer,
  target: {
    readonly task: DemoTaskId;
    readonly model: TransformerModel;
    readonly heads?: readonly tf.Variable[];
  },
): CheckpointMetadata {
  const { metadata, weights } = decodeCheckpoint(bytes);
  const fingerprint = vocabularyFingerprint(tokenizer);
  const sizes = (config: Readonly<Record<string, number>>) =>
    JSON.stringify(CONFIG_KEYS.map((key) => config[key]));
  const expected = sizes(target.model.config as unknown as Record<string, number>);
  if (
    metadata.task !== target.task ||
    metadata.vocabulary !== fingerprint ||
    sizes(metadata.config) !== expected
  ) {
    throw new CheckpointMismatchError(
      `restoreCheckpoint: expected a ${target.task} checkpoint of vocabulary ${fingerprint} and sizes ${expected}; received task ${JSON.stringify(metadata.task)}, vocabulary ${JSON.stringify(metadata.vocabulary)}, sizes ${sizes(metadata.config)}. Fix: retrain it with \`pnpm --filter @lm-objectives/demo checkpoints\`, or train from scratch.`,
    );
  }
  const modelWeights: Record<string, WeightMap[string]> = {};
  for (const [name, entry] of Object.entries(weights)) {
    if (!name.startsWith('objective.')) modelWeights[name] = entry;
  }
  target.model.setWeights(modelWeights);
  (target.heads ?? []).forEach((variable, index) => {
    const entry = weights[headName(index)];
    if (!entry || entry.data.length !== variable.size) {
      throw new CheckpointMismatchError(
        `restoreCheckpoint: expected head ${headName(index)} of shape [${variable.shape}]; received ${entry ? `[${entry.shape}]` : 'none'}. Fix: retrain the checkpoint with \`pnpm --filter @lm-objectives/demo checkpoints\`.`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(entry.data, variable.shape)));
  });
  return metadata;
}

/**
 * Loads a task's shipped checkpoint into its freshly built model and objective heads
 * ({@link restoreCheckpoint}); when the checkpoint is refused, disposes both before rethrowing, so
 * a failed task construction leaves no tensors behind.
 */
export function startFromCheckpoint(
  bytes: Uint8Array,
  tokenizer: WordPieceTokenizer,
  task: DemoTaskId,
  parts: {
    readonly model: TransformerModel;
    readonly objective: { trainableWeights(): readonly tf.Variable[]; dispose(): void };
  },
): CheckpointMetadata {
  try {
    return restoreCheckpoint(bytes, tokenizer, {
      task,
      model: parts.model,
      heads: parts.objective.trainableWeights(),
    });
  } catch (error) {
    parts.objective.dispose();
    parts.model.dispose();
    throw error;
  }
}
