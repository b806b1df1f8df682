import { InvalidArgumentError } from '@lm-objectives/core';

/** The architectures with a built-in name mapping from `@lm-objectives/models` names. */
export type PeftModuleNamePreset = 'bert' | 'llama' | 'gpt2';

/**
 * How this project's linear names become the Python model's module paths (the part of a PEFT
 * weight key between `base_model.model.` and `.lora_A.weight`): a preset for the architectures of
 * `@lm-objectives/models`, an explicit map `{ ourName: 'python.module.path' }` (every adapted
 * name must be in it), or a function. Default: the name with `/` turned into `.`.
 */
export type PeftModuleNames =
  | PeftModuleNamePreset
  | Readonly<Record<string, string>>
  | ((name: string) => string);

type Rule = [RegExp, string];

/** Rules per preset: `$1` is the layer index. */
const PRESET_RULES: Readonly<Record<PeftModuleNamePreset, readonly Rule[]>> = {
  bert: [
    [/^layers\.(\d+)\.attention\.(query|key|value)$/, 'bert.encoder.layer.$1.attention.self.$2'],
    [/^layers\.(\d+)\.attention\.output$/, 'bert.encoder.layer.$1.attention.output.dense'],
    [/^layers\.(\d+)\.feedForward\.intermediate$/, 'bert.encoder.layer.$1.intermediate.dense'],
    [/^layers\.(\d+)\.feedForward\.output$/, 'bert.encoder.layer.$1.output.dense'],
    [/^pooler\.dense$/, 'bert.pooler.dense'],
  ],
  llama: [
    [/^layers\.(\d+)\.attention\.query$/, 'model.layers.$1.self_attn.q_proj'],
    [/^layers\.(\d+)\.attention\.key$/, 'model.layers.$1.self_attn.k_proj'],
    [/^layers\.(\d+)\.attention\.value$/, 'model.layers.$1.self_attn.v_proj'],
    [/^layers\.(\d+)\.attention\.output$/, 'model.layers.$1.self_attn.o_proj'],
    [/^layers\.(\d+)\.feedForward\.intermediate$/, 'model.layers.$1.mlp.up_proj'],
    [/^layers\.(\d+)\.feedForward\.output$/, 'model.layers.$1.mlp.down_proj'],
  ],
  gpt2: [
    [/^layers\.(\d+)\.attention\.output$/, 'transformer.h.$1.attn.c_proj'],
    [/^layers\.(\d+)\.feedForward\.intermediate$/, 'transformer.h.$1.mlp.c_fc'],
    [/^layers\.(\d+)\.feedForward\.output$/, 'transformer.h.$1.mlp.c_proj'],
  ],
};

const PRESET_NOTES: Readonly<Record<PeftModuleNamePreset, string>> = {
  bert: 'the BERT preset maps layers.N.attention.{query,key,value,output} and layers.N.feedForward.{intermediate,output}, and pooler.dense',
  llama:
    'the LLaMA preset maps layers.N.attention.{query,key,value,output} and layers.N.feedForward.{intermediate,output} (to up_proj and down_proj; this project has no gate_proj)',
  gpt2: 'GPT-2 fuses query, key and value into one c_attn module, which separate adapters cannot become; the GPT-2 preset maps layers.N.attention.output and layers.N.feedForward.{intermediate,output} only',
};

/**
 * The Python module path of a linear under a {@link PeftModuleNames} mapping.
 *
 * @example
 * peftModulePath('layers.0.attention.query', 'bert'); // 'bert.encoder.layer.0.attention.self.query'
 * peftModulePath('layers.3.attention.value', 'llama'); // 'model.layers.3.self_attn.v_proj'
 */
export function peftModulePath(
  name: string,
  moduleNames: PeftModuleNames | undefined,
  functionName = 'peftModulePath',
): string {
  const fail = (expected: string, received: unknown, fix: string): never => {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.moduleNames',
      expected,
      received,
      receivedDescription: `${JSON.stringify(received)} for the linear '${name}'`,
      fix,
    });
  };
  let path: unknown;
  // Default: the name itself, with '/' separators as Python's dots.
  if (moduleNames === undefined) path = name.replaceAll('/', '.');
  else if (typeof moduleNames === 'string') {
    const rules = PRESET_RULES[moduleNames];
    if (rules === undefined) {
      fail(
        "a preset ('bert', 'llama', 'gpt2'), a map or a function",
        moduleNames,
        'pass one of the presets, or your own map.',
      );
    }
    const rule = rules.find(([pattern]) => pattern.test(name));
    if (!rule) {
      return fail(
        `a linear the '${moduleNames}' preset maps (${PRESET_NOTES[moduleNames]})`,
        name,
        'adapt only the mapped linears, or pass a map or a function as moduleNames.',
      );
    }
    path = name.replace(rule[0], rule[1]);
  } else if (typeof moduleNames === 'function') path = moduleNames(name);
  else if (moduleNames !== null && typeof moduleNames === 'object') {
    if (!Object.hasOwn(moduleNames, name)) {
      fail(
        'a map with an entry for every adapted linear',
        undefined,
        `add '${name}': 'python.module.path' to the map.`,
      );
    }
    path = moduleNames[name];
  } else {
    fail(
      "a preset ('bert', 'llama', 'gpt2'), a map or a function",
      moduleNames,
      'pass one of them, or leave it out.',
    );
  }
  if (typeof path !== 'string' || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(path)) {
    fail(
      'a dotted Python module path such as "model.layers.0.self_attn.q_proj"',
      path,
      'return attribute names joined by dots (letters, digits, underscores).',
    );
  }
  return path as string;
}
