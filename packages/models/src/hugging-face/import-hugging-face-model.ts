import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildTransformer } from '../models/build-transformer';
import type { BertEncoder } from '../models/create-bert-encoder';
import type { CausalDecoder } from '../models/create-causal-decoder';
import type { LlamaDecoder } from '../models/create-llama-decoder';
import type { TransformerModel } from '../models/transformer-model';
import type { ArchitectureLayout } from './architecture-layout';
import { layoutOfConfig } from './architecture-layouts';
import {
  type ByteSource,
  type CheckpointBytes,
  type IndexedTensor,
  indexSafetensors,
  readFloatTensor,
  toByteSource,
} from './checkpoint-source';
import { ConfigReader } from './config-reader';
import { convertedShape, type TensorMapping, toOurLayout } from './tensor-mapping';

/** A checkpoint in the Hugging Face layout. */
export interface HuggingFaceCheckpoint {
  /** `config.json`: its text or the parsed object. */
  readonly config: string | Readonly<Record<string, unknown>>;
  /** `model.safetensors` (`F32`, `F16` or `BF16`): bytes, a `Blob`/`File` (read tensor by tensor), or a {@link ByteSource}. */
  readonly weights: CheckpointBytes;
}

/** Options of {@link importHuggingFaceModel}. */
export interface ImportHuggingFaceOptions {
  /** Called after each tensor is loaded (progress bars, memory sampling). */
  onTensor?: (progress: {
    readonly name: string;
    readonly loaded: number;
    readonly total: number;
  }) => void;
}

/** What {@link importHuggingFaceModel} returns: the model, typed by architecture, and what it left aside. */
export type ImportedHuggingFaceModel = (
  | {
      /** The checkpoint's architecture. */
      readonly architecture: 'BertForPreTraining';
      /** The model, its weights loaded; yours to dispose. */
      readonly model: BertEncoder;
    }
  | {
      /** The checkpoint's architecture. */
      readonly architecture: 'GPT2LMHeadModel';
      /** The model, its weights loaded; yours to dispose. */
      readonly model: CausalDecoder;
    }
  | {
      /** The checkpoint's architecture. */
      readonly architecture: 'LlamaForCausalLM';
      /** The model, its weights loaded; yours to dispose. */
      readonly model: LlamaDecoder;
    }
) & {
  /** `config.json` keys that neither change the weights nor the forward pass and were not read (e.g. `summary_type`). */
  readonly ignoredKeys: readonly string[];
  /** Tensors of the file that are buffers, not weights (GPT-2's `attn.bias` masks), and tied copies checked equal. */
  readonly skippedTensors: readonly string[];
};

const FUNCTION_NAME = 'importHuggingFaceModel';
const FLOAT_DTYPES = ['F32', 'F16', 'BF16'];

/** Matches the file's tensors to the layout's: every expected tensor once, of its shape and a float dtype. */
function matchTensors(
  layout: ArchitectureLayout,
  expected: readonly TensorMapping[],
  tiedCopies: Readonly<Record<string, string>>,
  found: readonly IndexedTensor[],
) {
  const byName = new Map(expected.map((mapping) => [mapping.name, mapping]));
  const loads: { tensor: IndexedTensor; mapping: TensorMapping }[] = [];
  const copies: { tensor: IndexedTensor; original: string }[] = [];
  const skipped: string[] = [];
  for (const tensor of found) {
    const name = layout.canonicalName(tensor.name);
    if (name === null) {
      skipped.push(tensor.name);
      continue;
    }
    const mapping = byName.get(name);
    const site = {
      functionName: FUNCTION_NAME,
      argumentName: `model.safetensors '${tensor.name}'`,
    };
    if (mapping === undefined && !(name in tiedCopies)) {
      throw new InvalidArgumentError({
        ...site,
        expected: `only tensors of ${layout.architecture} as this config.json describes it`,
        received: tensor.name,
        fix: 'this tensor belongs to a variant we cannot represent (or to another configuration); import a checkpoint that matches its config.json.',
      });
    }
    if (!FLOAT_DTYPES.includes(tensor.dtype)) {
      throw new InvalidArgumentError({
        ...site,
        expected: 'F32, F16 or BF16 weights',
        received: tensor.dtype,
        fix: 'convert the checkpoint to float32, float16 or bfloat16.',
      });
    }
    const shape = mapping?.shape ?? byName.get(tiedCopies[name]!)!.shape;
    if (
      tensor.shape.length !== shape.length ||
      tensor.shape.some((size, axis) => size !== shape[axis])
    ) {
      throw new ShapeMismatchError({
        ...site,
        expected: `shape [${shape.join(', ')}] (from config.json)`,
        received: tensor.shape,
        receivedDescription: `shape [${tensor.shape.join(', ')}]`,
        fix: 'the weights and config.json come from different models: keep the files of one checkpoint together.',
      });
    }
    if (mapping) {
      loads.push({ tensor, mapping });
      byName.delete(name);
    } else copies.push({ tensor, original: tiedCopies[name]! });
  }
  const missing = [...byName.keys()];
  if (missing.length > 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `model.safetensors '${missing[0]}'`,
      expected: `every tensor of ${layout.architecture} (${missing.length} missing: ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''})`,
      received: undefined,
      receivedDescription: 'no such tensor',
      fix: 'the checkpoint is incomplete or of another architecture (a base model without its heads?).',
    });
  }
  return { loads, copies, skipped };
}

/** Loads one tensor into the model's variables, then lets its arrays go. */
async function loadTensor(
  source: ByteSource,
  tensor: IndexedTensor,
  mapping: TensorMapping,
  model: TransformerModel,
) {
  const values = await readFloatTensor(source, tensor);
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `model.safetensors '${tensor.name}'`,
      expected: 'finite values',
      received: values[bad],
      receivedDescription: `${values[bad]} at flat index ${bad}`,
      fix: 'the checkpoint is corrupt (a diverged run?).',
    });
  }
  for (const { weight, conversion } of mapping.parts) {
    const variable = model.weights[weight]!;
    const data = toOurLayout(values, mapping.shape, conversion);
    tf.tidy(() =>
      variable.assign(tf.tensor(data, convertedShape(mapping.shape, conversion), 'float32')),
    );
  }
}

/** Checks a tied copy (`lm_head.weight`, `cls.predictions.decoder.weight`) against the loaded original. */
async function checkTiedCopy(
  source: ByteSource,
  tensor: IndexedTensor,
  original: TensorMapping,
  model: TransformerModel,
) {
  const copy = await readFloatTensor(source, tensor);
  const part = original.parts[0]!;
  const loaded = model.weights[part.weight]!.dataSync() as Float32Array;
  const differs = copy.findIndex((value, index) => value !== loaded[index]);
  if (differs >= 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: `model.safetensors '${tensor.name}'`,
      expected: `a copy of '${original.name}' (this architecture's output layer is tied to it here)`,
      received: copy[differs],
      receivedDescription: `a different value at flat index ${differs}`,
      fix: 'an untied output layer cannot be represented by this model kind; for Llama set tie_word_embeddings: false.',
    });
  }
}

/**
 * Imports a checkpoint in the Hugging Face layout (`config.json` + `model.safetensors`) as one of
 * this package's models: `BertForPreTraining` → `createBertEncoder({ preTrainingHeads: true })`,
 * `GPT2LMHeadModel` → `createCausalDecoder`, `LlamaForCausalLM` → `createLlamaDecoder`.
 *
 * Everything is checked before the model is built: the architecture, every `config.json` option
 * that changes the computation (an option we cannot represent is refused, naming the key and the
 * reason), and the file's header (every expected tensor present once, of the shape the config
 * implies, in `F32`, `F16` or `BF16`). The weights then stream in one tensor at a time: each is
 * read, upcast exactly to float32 when stored in half precision, converted (`nn.Linear`
 * transposed, GPT-2's fused `c_attn` split) and assigned to its variable before the next is read,
 * so a `Blob` source is never held whole.
 *
 * @example
 * import { openAsBlob } from 'node:fs';
 * const { model } = await importHuggingFaceModel({
 *   config: readFileSync('gpt2/config.json', 'utf8'),
 *   weights: await openAsBlob('gpt2/model.safetensors'),
 * });
 */
export async function importHuggingFaceModel(
  checkpoint: HuggingFaceCheckpoint,
  options: ImportHuggingFaceOptions = {},
): Promise<ImportedHuggingFaceModel> {
  const config = parseConfig(checkpoint?.config);
  const layout = layoutOfConfig(FUNCTION_NAME, config);
  const reader = new ConfigReader(FUNCTION_NAME, config, layout.architecture);
  const spec = layout.spec(layout.readConfig(reader));
  const expected = layout.tensors(spec.config);
  const source = toByteSource(checkpoint.weights);
  const found = await indexSafetensors(source);
  const tiedCopies = layout.tiedCopies(spec.config);
  const { loads, copies, skipped } = matchTensors(layout, expected, tiedCopies, found);
  const model = buildTransformer({ ...spec, initialization: 'zeros' });
  try {
    let loaded = 0;
    for (const { tensor, mapping } of loads) {
      await loadTensor(source, tensor, mapping, model);
      options.onTensor?.({ name: tensor.name, loaded: ++loaded, total: loads.length });
    }
    for (const { tensor, original } of copies) {
      await checkTiedCopy(
        source,
        tensor,
        expected.find((mapping) => mapping.name === original)!,
        model,
      );
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    architecture: layout.architecture,
    model,
    ignoredKeys: reader.ignoredKeys(),
    skippedTensors: [...skipped, ...copies.map(({ tensor }) => tensor.name)],
  } as ImportedHuggingFaceModel;
}

function parseConfig(config: unknown): Record<string, unknown> {
  let parsed = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch {
      parsed = undefined;
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'checkpoint.config',
      expected: "config.json's text or its parsed object",
      received: config,
      fix: "pass readFileSync('config.json', 'utf8') or the parsed object.",
    });
  }
  return parsed as Record<string, unknown>;
}
