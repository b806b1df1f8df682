import { InvalidArgumentError } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PrefixSource } from '../encoder/prefix-source';
import { checkPrefixFitsModel } from './check-prefix-fits-model';
import type { PrefixableInputs, PrefixableModel } from './prefixable-model';

/**
 * Runs `model` with `prefix` in every layer: `model.apply({ ...inputs, prefixKeyValues }, options)`
 * with the prefix shared by every row. The inputs describe the real tokens only — the mask stays
 * `[B, L]`, positions start at 0, labels are not extended — and the model adds the $P$
 * always-visible key columns itself (see {@link PrefixableModel}).
 *
 * Gradients flow into a trainable prefix's variables; the prefix's intermediate tensors are freed.
 *
 * @returns what `model.apply` returns (caller-owned as the model documents).
 * @example
 * const { hiddenStates } = applyWithPrefix(decoder, prefix, { inputIds, attentionMask });
 */
export function applyWithPrefix<Inputs extends PrefixableInputs, Outputs>(
  model: {
    readonly config: PrefixableModel['config'];
    apply(inputs: Inputs, options?: { training?: boolean }): Outputs;
  },
  prefix: PrefixSource,
  inputs: Omit<Inputs, 'prefixKeyValues'>,
  options?: { training?: boolean },
): Outputs {
  const functionName = 'applyWithPrefix';
  checkPrefixFitsModel(functionName, model, prefix);
  if (inputs === null || typeof inputs !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'inputs',
      expected: "the model's inputs ({ inputIds, attentionMask?, positionIds?, … })",
      received: inputs,
      fix: 'pass the same inputs as to model.apply, without prefixKeyValues.',
    });
  }
  if ((inputs as PrefixableInputs).prefixKeyValues !== undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'inputs.prefixKeyValues',
      expected: 'no prefixKeyValues (the prefix supplies them)',
      received: (inputs as PrefixableInputs).prefixKeyValues,
      fix: 'remove prefixKeyValues, or call model.apply directly with your own.',
    });
  }
  return tf.tidy(
    () =>
      model.apply(
        { ...inputs, prefixKeyValues: prefix.keyValues() } as unknown as Inputs,
        options,
      ) as unknown as tf.TensorContainer,
  ) as unknown as Outputs;
}
