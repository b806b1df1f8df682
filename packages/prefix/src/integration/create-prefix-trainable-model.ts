import { checkOptionKeys, InvalidArgumentError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { PrefixEncoder } from '../encoder/create-prefix-encoder';
import { applyWithPrefix } from './apply-with-prefix';
import { checkPrefixFitsModel } from './check-prefix-fits-model';
import type { PrefixableInputs, PrefixableModel } from './prefixable-model';

/**
 * What the trainer hands the model for one micro-batch: structurally `ModelInputs` of
 * `@lm-objectives/trainer` (this package does not depend on the trainer).
 */
export interface PrefixModelInputs<Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> {
  /** The batch's fields as tensors (owned by the trainer). */
  readonly tensors: Readonly<Record<string, tf.Tensor>>;
  /** The batch itself. */
  readonly batch: Batch;
  /** Whether this is a training step (switches dropout). */
  readonly training: boolean;
}

/**
 * A model adapter for `createTrainer` of `@lm-objectives/trainer` (structurally its
 * `TrainableModel`): the frozen model's forward pass with the prefix, and the prefix's variables
 * as the only ones to optimise.
 */
export interface PrefixTrainableModel<Outputs, Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> {
  /** The model's forward pass on one micro-batch with the prefix in every layer (`training` switches dropout). */
  apply(inputs: PrefixModelInputs<Batch>): Outputs;
  /** The prefix encoder's variables only: the model's weights are never updated. */
  readonly variables: readonly tf.Variable[];
  /** The prefix's embedding table (kept out of weight decay by default). */
  readonly embeddings: readonly tf.Variable[];
}

/** Options of {@link createPrefixTrainableModel}. */
export interface PrefixTrainableModelOptions<Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> {
  /**
   * Extra model inputs computed from the micro-batch, merged over the default ones — e.g. the
   * block-diagonal mask of packed rows:
   * `({ tensors }) => ({ attentionBias: packedCausalAttentionBias(tensors.exampleIds) })`.
   * Tensors it creates are freed with the step.
   */
  extraInputs?: (
    inputs: PrefixModelInputs<Batch>,
  ) => Partial<Omit<PrefixableInputs, 'prefixKeyValues'>>;
}

/**
 * Builds the trainer's model adapter for prefix tuning: `apply` runs
 * `applyWithPrefix(model, prefix, inputs, { training })` with the batch's `inputIds`,
 * `attentionMask` and `positionIds` (those present), and `variables` are the prefix's only, so the
 * base model stays bit-identical while `createTrainer` optimises
 * $\max_{\theta} \sum \log p_{\Phi_0}(y_t \mid [\mathrm{prefix}_\theta; x, y_{<t}])$ with whatever
 * objective it is given (e.g. the conditional objective of `@lm-objectives/lora`).
 *
 * @example
 * const trainer = createTrainer({
 *   objective: createConditionalLmObjective({ eosTokenId }),
 *   model: createPrefixTrainableModel(decoder, prefix),
 *   learningRate: 1e-2,
 * });
 */
export function createPrefixTrainableModel<
  Outputs,
  Batch extends ObjectiveBatchV1 = ObjectiveBatchV1,
>(
  model: PrefixableModel<Outputs>,
  prefix: PrefixEncoder,
  options: PrefixTrainableModelOptions<Batch> = {},
): PrefixTrainableModel<Outputs, Batch> {
  const functionName = 'createPrefixTrainableModel';
  checkPrefixFitsModel(functionName, model, prefix);
  if (!Array.isArray(prefix.variables) || prefix.variables.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'prefix',
      expected: 'a trainable prefix encoder (createPrefixEncoder), which has variables',
      received: prefix,
      fix: 'a loaded prefix is for inference; create an encoder with createPrefixEncoder to train.',
    });
  }
  checkOptionKeys(functionName, options, ['extraInputs']);
  const { extraInputs } = options;
  if (extraInputs !== undefined && typeof extraInputs !== 'function') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.extraInputs',
      expected: 'a function (inputs) => { attentionBias?, … }',
      received: extraInputs,
      fix: 'pass a function of the micro-batch, or omit the option.',
    });
  }
  return {
    variables: prefix.variables,
    embeddings: prefix.embeddings,
    apply(inputs) {
      const { tensors, training } = inputs;
      if (tensors['inputIds'] === undefined) {
        throw new InvalidArgumentError({
          functionName: 'PrefixTrainableModel.apply',
          argumentName: 'inputs.tensors.inputIds',
          expected: 'an inputIds field in the batch',
          received: Object.keys(tensors),
          receivedDescription: `fields ${Object.keys(tensors).join(', ')}`,
          fix: 'train with an objective whose batches carry inputIds (e.g. the conditional objective).',
        });
      }
      const modelInputs: Omit<PrefixableInputs, 'prefixKeyValues'> = {
        inputIds: tensors['inputIds'],
        ...(tensors['attentionMask'] ? { attentionMask: tensors['attentionMask'] } : {}),
        ...(tensors['positionIds'] ? { positionIds: tensors['positionIds'] } : {}),
        ...(extraInputs ? extraInputs(inputs) : {}),
      };
      return applyWithPrefix(model, prefix, modelInputs, { training });
    },
  };
}
