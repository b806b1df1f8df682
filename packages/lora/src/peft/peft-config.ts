import { InvalidArgumentError } from '@lm-objectives/core';
import type { LoraInitialization } from '../adapter/lora-options';

/**
 * The `adapter_config.json` of a PEFT LoRA adapter: the keys PEFT writes that matter here, plus any
 * others it writes (kept as read).
 */
export interface PeftLoraConfig {
  readonly peft_type: 'LORA';
  /** Rank $r$. */
  readonly r: number;
  /** $\alpha$: the update is scaled by $\alpha/r$, or $\alpha/\sqrt r$ with `use_rslora`. */
  readonly lora_alpha: number;
  /** The adapted modules: full module paths, suffixes, or a regular expression string. */
  readonly target_modules: readonly string[] | string | null;
  readonly lora_dropout: number;
  readonly use_rslora: boolean;
  /** Whether the *base* layer stores its weight `[in, out]` (GPT-2's `Conv1D`); LoRA weights are `[r, in]`/`[out, r]` either way. */
  readonly fan_in_fan_out: boolean;
  /** Only `'none'` is supported: PEFT's `'all'`/`'lora_only'` also train biases, which these adapters keep frozen. */
  readonly bias: 'none';
  readonly task_type: string | null;
  readonly base_model_name_or_path: string | null;
  /** How A was initialised: `true` (Kaiming-uniform, this package's `'uniform'`), `'gaussian'`, or another PEFT scheme. */
  readonly init_lora_weights: boolean | string;
  readonly modules_to_save: readonly string[] | null;
  readonly [key: string]: unknown;
}

/** A config key this package did not recognise, or recognised with a setting it ignores. */
export interface PeftConfigWarning {
  readonly key: string;
  readonly message: string;
}

/** PEFT `LoraConfig` keys that need no handling here when absent or at their default. */
const KNOWN_KEYS = new Set([
  'alpha_pattern',
  'auto_mapping',
  'base_model_name_or_path',
  'bias',
  'corda_config',
  'eva_config',
  'exclude_modules',
  'fan_in_fan_out',
  'inference_mode',
  'init_lora_weights',
  'layer_replication',
  'layers_pattern',
  'layers_to_transform',
  'loftq_config',
  'lora_alpha',
  'lora_bias',
  'lora_dropout',
  'megatron_config',
  'megatron_core',
  'modules_to_save',
  'peft_type',
  'r',
  'rank_pattern',
  'revision',
  'target_modules',
  'target_parameters',
  'task_type',
  'trainable_token_indices',
  'use_dora',
  'use_qalora',
  'use_rslora',
  'qalora_group_size',
  'peft_version',
]);

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === false ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Keys whose non-default values change the computation in ways these adapters cannot reproduce. */
const UNSUPPORTED: readonly [string, string][] = [
  ['use_dora', 'DoRA (weight-decomposed LoRA) adds a magnitude vector these adapters do not have'],
  ['rank_pattern', 'per-module ranks are not supported; every adapter of a set shares one rank'],
  ['alpha_pattern', 'per-module alphas are not supported; every adapter of a set shares one α'],
  ['lora_bias', 'a trainable bias on lora_B is not supported'],
  ['layer_replication', 'layer replication changes the base model itself'],
  [
    'modules_to_save',
    'fully trained modules saved next to the adapter cannot be applied by LoRA adapters',
  ],
  ['trainable_token_indices', 'trainable token embeddings are not supported'],
  ['use_qalora', 'quantisation-aware LoRA is not supported'],
];

/**
 * Validates a PEFT `adapter_config.json` (text or parsed) for a LoRA adapter. Keys this package
 * does not know become warnings (returned, and passed to `onWarning`), never failures, so that
 * configs from newer PEFT versions still load; settings that would change the computation in ways
 * these adapters cannot reproduce (DoRA, per-module ranks, trained biases, …) are refused.
 *
 * @param config the contents of `adapter_config.json`, as text or parsed.
 * @param options.onWarning called with each warning as it is found.
 * @param functionName the public function to name in errors (`readPeftAdapter` passes its own).
 */
export function parsePeftLoraConfig(
  config: unknown,
  options: { onWarning?: (warning: PeftConfigWarning) => void } = {},
  functionName = 'parsePeftLoraConfig',
): { config: PeftLoraConfig; warnings: PeftConfigWarning[] } {
  const fail = (key: string, expected: string, received: unknown, fix: string): never => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: key === '' ? 'config' : `config.${key}`,
      expected,
      received,
      fix,
    });
  };
  let parsed: unknown = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch (error) {
      throw new InvalidArgumentError(
        {
          functionName,
          argumentName: 'config',
          expected: 'the JSON text of adapter_config.json',
          received: config,
          fix: 'pass the file contents unchanged (or the parsed object).',
        },
        { cause: error },
      );
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail('', 'an adapter_config.json object', parsed, 'pass the contents of adapter_config.json.');
  }
  const raw = parsed as Record<string, unknown>;
  if (raw.peft_type !== 'LORA') {
    fail(
      'peft_type',
      '"LORA"',
      raw.peft_type,
      'load only LoRA adapters (other PEFT methods are different computations).',
    );
  }
  if (!Number.isInteger(raw.r) || (raw.r as number) < 1) {
    fail('r', 'a positive integer rank', raw.r, 'the config is corrupt; export it again.');
  }
  if (
    typeof raw.lora_alpha !== 'number' ||
    !(raw.lora_alpha > 0) ||
    !Number.isFinite(raw.lora_alpha)
  ) {
    fail(
      'lora_alpha',
      'a positive number',
      raw.lora_alpha,
      'the config is corrupt; export it again.',
    );
  }
  const dropout = raw.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    fail(
      'lora_dropout',
      'a rate in [0, 1)',
      raw.lora_dropout,
      'the config is corrupt; export it again.',
    );
  }
  for (const key of ['use_rslora', 'fan_in_fan_out'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'boolean') {
      fail(key, 'true or false', raw[key], 'the config is corrupt; export it again.');
    }
  }
  const bias = raw.bias ?? 'none';
  if (bias !== 'none') {
    fail(
      'bias',
      '"none"',
      bias,
      'train the adapter with bias="none": these adapters keep the base biases frozen.',
    );
  }
  for (const [key, reason] of UNSUPPORTED) {
    if (!isEmpty(raw[key]))
      fail(key, 'no value (null, false or empty)', raw[key], `${reason}; train without ${key}.`);
  }
  const warnings: PeftConfigWarning[] = [];
  const warn = (key: string, message: string) => {
    const warning = { key, message };
    warnings.push(warning);
    options.onWarning?.(warning);
  };
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      warn(
        key,
        `unknown adapter_config.json key '${key}' (from a newer PEFT version?) was ignored`,
      );
    }
  }
  const init = raw.init_lora_weights ?? true;
  if (init !== true && init !== false && init !== 'gaussian') {
    warn(
      'init_lora_weights',
      `init_lora_weights ${JSON.stringify(init)}: the adapter weights load as they are; make sure the base model is the one the adapter was trained on (some initialisations, such as PiSSA, modify the base weights)`,
    );
  }
  return {
    config: {
      ...raw,
      peft_type: 'LORA',
      r: raw.r as number,
      lora_alpha: raw.lora_alpha as number,
      target_modules: (raw.target_modules ?? null) as PeftLoraConfig['target_modules'],
      lora_dropout: dropout as number,
      use_rslora: (raw.use_rslora ?? false) as boolean,
      fan_in_fan_out: (raw.fan_in_fan_out ?? false) as boolean,
      bias: 'none',
      task_type: (raw.task_type ?? null) as string | null,
      base_model_name_or_path: (raw.base_model_name_or_path ?? null) as string | null,
      init_lora_weights: init as boolean | string,
      modules_to_save: null,
    },
    warnings,
  };
}

/** This package's initialisation for a PEFT `init_lora_weights` value. */
export function initializationFromPeft(init: unknown): LoraInitialization {
  return init === 'gaussian' ? 'gaussian' : 'uniform';
}
