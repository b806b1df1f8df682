import { checkOptionKeys, InvalidArgumentError } from '@lm-objectives/core';
import { readSafetensors, type SafetensorsTensor } from '@lm-objectives/safetensors';
import type { LoraInitialization } from '../adapter/lora-options';
import {
  initializationFromPeft,
  type PeftConfigWarning,
  type PeftLoraConfig,
  parsePeftLoraConfig,
} from './peft-config';
import { type PeftModuleNames, peftModulePath } from './peft-module-names';
import { normalizePeftWeightKey, peftWeightKeys } from './peft-weight-keys';

/** A PEFT LoRA adapter read into memory: its validated config and its weights by key. */
export interface PeftAdapter {
  readonly config: PeftLoraConfig;
  /** The weights by key, adapter-name segments removed (`….lora_A.default.weight` → `….lora_A.weight`). */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** Config keys that were not recognised or settings that were ignored. */
  readonly warnings: readonly PeftConfigWarning[];
}

/**
 * Reads the two files of a PEFT adapter directory: `adapter_config.json` (text or parsed) and
 * `adapter_model.safetensors` (bytes). Unknown config keys are warnings (returned, and passed to
 * `onWarning`); a malformed weights file throws the `SafetensorsError` that names the key at fault.
 *
 * @example
 * const adapter = readPeftAdapter({ config: await readText('adapter_config.json'), weights: await readBytes('adapter_model.safetensors') });
 */
export function readPeftAdapter(
  files: { config: string | object; weights: Uint8Array },
  options: { onWarning?: (warning: PeftConfigWarning) => void } = {},
): PeftAdapter {
  const functionName = 'readPeftAdapter';
  checkOptionKeys(functionName, options, ['onWarning']);
  if (files === null || typeof files !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'files',
      expected: '{ config, weights }',
      received: files,
      fix: 'pass the contents of adapter_config.json and adapter_model.safetensors.',
    });
  }
  const { config, warnings } = parsePeftLoraConfig(files.config, options, functionName);
  const file = readSafetensors(files.weights);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [key, tensor] of file.tensors) tensors.set(normalizePeftWeightKey(key), tensor);
  return { config, tensors, warnings };
}

/**
 * The adapter options that fit a PEFT adapter, for `createLoraAdapters` / `injectLoraAdapters`:
 * its rank, $\alpha$, rsLoRA, dropout and initialisation, and as targets the given linear names
 * whose module path has weights in the adapter file. Throws, listing both sides, when none has.
 *
 * @param names the model's linear names (e.g. `Object.keys(model.linears)`).
 * @example
 * const adapter = readPeftAdapter(files);
 * const lora = createLoraAdapters(model.linears, loraOptionsFromPeft(adapter, Object.keys(model.linears), { moduleNames: 'bert' }));
 * loadPeftAdapter(lora, adapter, { moduleNames: 'bert' });
 */
export function loraOptionsFromPeft(
  adapter: PeftAdapter,
  names: readonly string[],
  options: { moduleNames?: PeftModuleNames } = {},
): {
  rank: number;
  alpha: number;
  rsLora: boolean;
  dropout: number;
  initialization: LoraInitialization;
  targets: string[];
} {
  const functionName = 'loraOptionsFromPeft';
  checkOptionKeys(functionName, options, ['moduleNames']);
  const { config, tensors } = adapter;
  const targets: string[] = [];
  const unmapped: string[] = [];
  for (const name of names) {
    let path: string;
    try {
      path = peftModulePath(name, options.moduleNames, functionName);
    } catch {
      unmapped.push(name);
      continue;
    }
    if (tensors.has(peftWeightKeys(path).a)) targets.push(name);
  }
  if (targets.length === 0) {
    const fileModules = [...tensors.keys()]
      .filter((key) => key.endsWith('.lora_A.weight'))
      .map((key) => key.slice(0, -'.lora_A.weight'.length));
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.moduleNames',
      expected: `a mapping under which some of the linears ${names.map((name) => `'${name}'`).join(', ')} become the adapter's modules ${fileModules.map((key) => `'${key}'`).join(', ') || '(none)'}`,
      received: options.moduleNames,
      receivedDescription: `a mapping that matched none${unmapped.length > 0 ? ` (it maps none of ${unmapped.map((name) => `'${name}'`).join(', ')})` : ''}`,
      fix: "pass moduleNames ('bert', 'llama', 'gpt2', a map or a function) that turns your names into the Python module paths.",
    });
  }
  return {
    rank: config.r,
    alpha: config.lora_alpha,
    rsLora: config.use_rslora,
    dropout: config.lora_dropout,
    initialization: initializationFromPeft(config.init_lora_weights),
    targets,
  };
}
