import {
  checkBoolean,
  checkOptionKeys,
  formatShape,
  InvalidArgumentError,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type { SafetensorsTensor } from '@lm-objectives/safetensors';
import * as tf from '@tensorflow/tfjs-core';
import type { LoraAdapter } from '../adapter/lora-adapter';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';
import { checkLoadableAdapters } from '../checkpoint/check-loadable-adapters';
import { checkLoraAdapterSet } from '../checkpoint/save-lora-adapters';
import { checkFiniteValues } from '../internal/check-finite-values';
import type { PeftModuleNames } from './peft-module-names';
import { peftModulePath } from './peft-module-names';
import { peftWeightKeys } from './peft-weight-keys';
import type { PeftAdapter } from './read-peft-adapter';
import { transposeMatrix } from './transpose-matrix';

/** Options of {@link loadPeftAdapter}. */
export interface LoadPeftAdapterOptions {
  /** This project's linear names → the Python model's module paths (as for the export). */
  moduleNames?: PeftModuleNames;
  /** Load even when adapted linears have no weights in the file (their $A$, $B$ stay as they are). Default `false`. */
  allowMissingKeys?: boolean;
  /** Load even when the file has weights no adapted linear takes (they are ignored). Default `false`. */
  allowUnexpectedKeys?: boolean;
  /** Load weights with NaN or ±∞ (to inspect a diverged run) instead of refusing them. Default `false`. */
  allowNonFinite?: boolean;
}

const FUNCTION_NAME = 'loadPeftAdapter';
const FLOAT_DTYPES = ['F32', 'F16', 'BF16'];

function listed(keys: readonly string[]): string {
  const shown = keys.slice(0, 12).map((key) => `'${key}'`);
  return keys.length > 12 ? `${shown.join(', ')} and ${keys.length - 12} more` : shown.join(', ');
}

/**
 * One adapter's weights from the file, transposed from PyTorch's `lora_A.weight` $A^\top$
 * `[r, in]` and `lora_B.weight` $B^\top$ `[out, r]` (upcast from float16/bfloat16) to $A$
 * `[in, r]` and $B$ `[r, out]`, after checking each one's dtype, shape and (unless
 * `allowNonFinite`) finiteness. A weight missing from the file is left out.
 */
function readAdapterWeights(
  adapter: LoraAdapter,
  keys: { a: string; b: string },
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  allowNonFinite: boolean,
): { a?: Float32Array; b?: Float32Array } {
  const loaded: { a?: Float32Array; b?: Float32Array } = {};
  for (const [part, key, shape] of [
    ['a', keys.a, [adapter.rank, adapter.inputSize]],
    ['b', keys.b, [adapter.outputSize, adapter.rank]],
  ] as const) {
    const tensor = tensors.get(key);
    if (tensor === undefined) continue;
    if (!FLOAT_DTYPES.includes(tensor.dtype)) {
      throw new InvalidArgumentError({
        functionName: FUNCTION_NAME,
        argumentName: `adapter.tensors['${key}']`,
        expected: 'a floating-point weight (F32, F16 or BF16)',
        received: tensor.dtype,
        receivedDescription: `dtype ${tensor.dtype}`,
        fix: 'save the adapter weights as float32 (or float16/bfloat16).',
      });
    }
    if (tensor.shape.length !== 2 || tensor.shape[0] !== shape[0] || tensor.shape[1] !== shape[1]) {
      throw new ShapeMismatchError({
        functionName: FUNCTION_NAME,
        argumentName: `adapter.tensors['${key}']`,
        expected: `shape ${formatShape(shape)} (${part === 'a' ? '[r, in]' : '[out, r]'} for '${adapter.name}', kernel ${formatShape([adapter.inputSize, adapter.outputSize])})`,
        received: tensor.shape,
        receivedDescription: `shape ${formatShape(tensor.shape)}`,
        fix: 'load the adapter onto the base model it was trained for (same sizes), with the mapping that pairs the right modules.',
      });
    }
    const data = tensor.data as Float32Array;
    if (!allowNonFinite) checkFiniteValues(FUNCTION_NAME, `adapter.tensors['${key}']`, data);
    loaded[part] = transposeMatrix(data, shape[0], shape[1]);
  }
  return loaded;
}

/**
 * Loads a PEFT LoRA adapter (from {@link readPeftAdapter}) into existing adapters, transposing
 * PyTorch's `lora_A.weight` `[r, in]` and `lora_B.weight` `[out, r]` into $A$ `[in, r]` and $B$
 * `[r, out]` (float16 and bfloat16 are upcast to float32). Checks first and changes nothing on
 * failure: the adapters must be unmerged with the adapter's rank, $\alpha$ and rsLoRA (so the
 * scaling is the one it was trained with); every adapted linear must have both weights in the file
 * and every weight in the file must belong to an adapted linear (both listed in the error, each
 * side can be allowed); each weight must be a float with the expected shape (named in the error)
 * and finite (unless `allowNonFinite`). A refused load changes nothing.
 */
export function loadPeftAdapter(
  adapters: LoraAdapterSet,
  adapter: PeftAdapter,
  options: LoadPeftAdapterOptions = {},
): void {
  checkOptionKeys(FUNCTION_NAME, options, [
    'moduleNames',
    'allowMissingKeys',
    'allowUnexpectedKeys',
    'allowNonFinite',
  ]);
  const set = checkLoraAdapterSet(FUNCTION_NAME, adapters);
  if (adapter === null || typeof adapter !== 'object' || !(adapter.tensors instanceof Map)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'adapter',
      expected: 'a PeftAdapter { config, tensors }',
      received: adapter,
      fix: 'pass what readPeftAdapter returned.',
    });
  }
  const allowMissing = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.allowMissingKeys' },
    options.allowMissingKeys,
    false,
  );
  const allowUnexpected = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.allowUnexpectedKeys' },
    options.allowUnexpectedKeys,
    false,
  );
  const allowNonFinite = checkBoolean(
    { functionName: FUNCTION_NAME, argumentName: 'options.allowNonFinite' },
    options.allowNonFinite,
    false,
  );
  const { config, tensors } = adapter;
  checkLoadableAdapters(FUNCTION_NAME, set, {
    rank: config.r,
    alpha: config.lora_alpha,
    rsLora: config.use_rslora,
    rankArgument: 'adapter.config.r',
    settingsArgument: 'adapter.config',
    alphaName: 'lora_alpha',
    rsLoraName: 'use_rslora',
    source: "the PEFT config's",
    fixSuffix: ' (loraOptionsFromPeft gives them)',
  });
  const plan = [...set.adapters.values()].map((each) => ({
    adapter: each,
    keys: peftWeightKeys(peftModulePath(each.name, options.moduleNames, FUNCTION_NAME)),
  }));
  const expectedKeys = plan.flatMap(({ keys }) => [keys.a, keys.b]);
  const missing = expectedKeys.filter((key) => !tensors.has(key));
  const unexpected = [...tensors.keys()].filter((key) => !expectedKeys.includes(key));
  if ((missing.length > 0 && !allowMissing) || (unexpected.length > 0 && !allowUnexpected)) {
    const problems = [
      missing.length > 0 && !allowMissing ? `missing keys ${listed(missing)}` : '',
      unexpected.length > 0 && !allowUnexpected ? `unexpected keys ${listed(unexpected)}` : '',
    ].filter((text) => text !== '');
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'adapter.tensors',
      expected: `exactly the weights of the adapted linears (${listed(expectedKeys)})`,
      received: [...tensors.keys()],
      receivedDescription: problems.join('; '),
      fix: 'map the names with options.moduleNames (see the mapping table), adapt the same modules as the adapter (targets from loraOptionsFromPeft), or pass allowMissingKeys / allowUnexpectedKeys.',
    });
  }
  const values = plan.map(({ adapter: each, keys }) => ({
    adapter: each,
    ...readAdapterWeights(each, keys, tensors, allowNonFinite),
  }));
  tf.tidy(() => {
    for (const { adapter: each, a, b } of values) {
      if (a) each.a.assign(tf.tensor2d(a, [each.inputSize, each.rank]));
      if (b) each.b.assign(tf.tensor2d(b, [each.rank, each.outputSize]));
    }
  });
}
