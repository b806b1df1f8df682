import { checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import { writeSafetensors } from '@lm-objectives/safetensors';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import { checkLoraAdapterSet } from '../checkpoint/save-lora-adapters';
import type { PeftLoraConfig } from './peft-config';
import { type PeftModuleNames, peftModulePath } from './peft-module-names';
import { peftWeightKeys } from './peft-weight-keys';
import { transposeMatrix } from './transpose-matrix';

/** Options of {@link exportPeftAdapter}. */
export interface ExportPeftAdapterOptions {
  /** This project's linear names → the Python model's module paths. Default: the names, `/` → `.`. */
  moduleNames?: PeftModuleNames;
  /** `base_model_name_or_path`, e.g. `'bert-base-uncased'` (PEFT loads that base model). Default `null`. */
  baseModelNameOrPath?: string | null;
  /** `task_type`, e.g. `'CAUSAL_LM'`, `'SEQ_CLS'`, `'FEATURE_EXTRACTION'`. Default `null`. */
  taskType?: string | null;
  /** `target_modules`. Default: the exported module paths, exactly (so PEFT adapts nothing else). */
  targetModules?: readonly string[] | string;
  /** `fan_in_fan_out`: the base layers store `[in, out]` (GPT-2's `Conv1D`). Default: `true` for the `'gpt2'` preset, else `false`. */
  fanInFanOut?: boolean;
}

/** What {@link exportPeftAdapter} returns: the two files of a PEFT adapter directory. */
export interface PeftAdapterFiles {
  /** The contents of `adapter_config.json`, as an object. */
  readonly config: PeftLoraConfig;
  /** `adapter_config.json` as PEFT writes it (sorted keys, two-space indent). */
  readonly configJson: string;
  /** `adapter_model.safetensors`. */
  readonly weights: Uint8Array;
}

const FUNCTION_NAME = 'exportPeftAdapter';

/**
 * Exports adapters in the layout of Hugging Face PEFT (`PeftModel.from_pretrained` loads it):
 * `adapter_config.json` and `adapter_model.safetensors` with, for each adapted linear,
 * `base_model.model.<module path>.lora_A.weight` $= A^\top$ `[r, in]` and `….lora_B.weight`
 * $= B^\top$ `[out, r]` in float32 (PyTorch's `Linear` layout; this package stores $A$ `[in, r]` and
 * $B$ `[r, out]`). The scaling travels as `r`, `lora_alpha` and `use_rslora`. Merged adapters
 * export the same weights (merging does not change $A$ and $B$).
 *
 * @example
 * const { configJson, weights } = exportPeftAdapter(lora, { moduleNames: 'bert', baseModelNameOrPath: 'bert-base-uncased' });
 * // write configJson to adapter_config.json and weights to adapter_model.safetensors
 */
export function exportPeftAdapter(
  adapters: LoraAdapterSet,
  options: ExportPeftAdapterOptions = {},
): PeftAdapterFiles {
  checkOptionKeys(FUNCTION_NAME, options, [
    'moduleNames',
    'baseModelNameOrPath',
    'taskType',
    'targetModules',
    'fanInFanOut',
  ]);
  const set = checkLoraAdapterSet(FUNCTION_NAME, adapters);
  for (const key of ['baseModelNameOrPath', 'taskType'] as const) {
    const value = options[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new InvalidArgumentError({
        functionName: FUNCTION_NAME,
        argumentName: `options.${key}`,
        expected: 'a string or null',
        received: value,
        fix: key === 'taskType' ? "pass e.g. 'CAUSAL_LM'." : "pass e.g. 'bert-base-uncased'.",
      });
    }
  }
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  const paths: string[] = [];
  for (const adapter of set.adapters.values()) {
    const path = peftModulePath(adapter.name, options.moduleNames, FUNCTION_NAME);
    if (paths.includes(path)) {
      throw new InvalidArgumentError({
        functionName: FUNCTION_NAME,
        argumentName: 'options.moduleNames',
        expected: 'a different module path for every adapted linear',
        received: path,
        receivedDescription: `'${path}' for '${adapter.name}' and an earlier linear`,
        fix: 'make the mapping one-to-one.',
      });
    }
    paths.push(path);
    const { rank, inputSize, outputSize } = adapter;
    const keys = peftWeightKeys(path);
    tensors.set(keys.a, {
      shape: [rank, inputSize],
      data: transposeMatrix(adapter.a.dataSync() as Float32Array, inputSize, rank),
    });
    tensors.set(keys.b, {
      shape: [outputSize, rank],
      data: transposeMatrix(adapter.b.dataSync() as Float32Array, rank, outputSize),
    });
  }
  const targetModules = options.targetModules ?? [...paths].sort();
  if (
    !(typeof targetModules === 'string' && targetModules !== '') &&
    !(Array.isArray(targetModules) && targetModules.every((entry) => typeof entry === 'string'))
  ) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'options.targetModules',
      expected: 'module names or paths, or a regular expression string',
      received: targetModules,
      fix: "pass e.g. ['query', 'value'], or leave it out to list the exported modules.",
    });
  }
  const fanInFanOut = options.fanInFanOut ?? options.moduleNames === 'gpt2';
  const { rank, alpha, rsLora, dropout, initialization } = set.options;
  const config: PeftLoraConfig = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModelNameOrPath ?? null,
    bias: 'none',
    fan_in_fan_out: fanInFanOut === true,
    inference_mode: true,
    init_lora_weights: initialization === 'gaussian' ? 'gaussian' : true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: alpha,
    lora_dropout: dropout,
    modules_to_save: null,
    peft_type: 'LORA',
    r: rank,
    rank_pattern: {},
    revision: null,
    target_modules: typeof targetModules === 'string' ? targetModules : [...targetModules],
    task_type: options.taskType ?? null,
    use_dora: false,
    use_rslora: rsLora,
  };
  const sorted = Object.fromEntries(
    Object.entries(config).sort(([left], [right]) => (left < right ? -1 : 1)),
  );
  return {
    config,
    configJson: `${JSON.stringify(sorted, null, 2)}\n`,
    weights: writeSafetensors(tensors, { format: 'pt' }),
  };
}
