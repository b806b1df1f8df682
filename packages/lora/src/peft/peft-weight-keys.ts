/** The prefix PEFT gives every weight key: the `PeftModel` wrapper's `base_model.model.`. */
export const PEFT_KEY_PREFIX = 'base_model.model.';

/** The two weight keys of a LoRA adapter on a module path, as PEFT saves them. */
export function peftWeightKeys(modulePath: string): { a: string; b: string } {
  return {
    a: `${PEFT_KEY_PREFIX}${modulePath}.lora_A.weight`,
    b: `${PEFT_KEY_PREFIX}${modulePath}.lora_B.weight`,
  };
}

/**
 * A PEFT weight key with an adapter-name segment (`….lora_A.default.weight`, written by some
 * versions and by `state_dict()` directly) in the form PEFT saves (`….lora_A.weight`).
 */
export function normalizePeftWeightKey(key: string): string {
  return key.replace(/\.lora_([AB])\.[A-Za-z0-9_-]+\.weight$/, '.lora_$1.weight');
}
