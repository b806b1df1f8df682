import {
  checkFiniteNumber,
  checkTensor,
  type DimensionSizes,
  defineObjective,
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveLossResult,
  tidyResult,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { createElectraBatch } from './create-electra-batch';
import { ELECTRA_BATCH_FIELDS, type ElectraBatch, type ElectraPartName } from './electra-batch';
import { type ElectraObjectiveOptions, resolveElectraOptions } from './electra-options';
import { replacedTokenDetectionLoss } from './replaced-token-detection-loss';

/** The id under which the ELECTRA objective registers. */
export const ELECTRA_OBJECTIVE_ID = 'electra/replaced-token-detection';

/** One example: a tokenized text. */
export type ElectraExample = ArrayLike<number>;

/** What the two models hand to the tensor side. */
export interface ElectraModelOutputs {
  /** float32 `[B, L, V]`: the generator's logits on `generatorInputIds`. */
  readonly generatorLogits: tf.Tensor;
  /** float32 `[B, L]`: the discriminator's "replaced" logit per token of `discriminatorInputIds`. */
  readonly discriminatorLogits: tf.Tensor;
}

/** The ELECTRA objective. */
export type ElectraObjective = LossObjectiveV1<
  ElectraExample,
  ElectraBatch,
  ElectraModelOutputs,
  ElectraPartName
> & {
  /** $\lambda$ of $L = L_{\mathrm{MLM}} + \lambda L_{\mathrm{Disc}}$. */
  readonly discriminatorWeight: number;
};

const LOSS_FUNCTION = `${ELECTRA_OBJECTIVE_ID} computeLoss`;

/**
 * Checks both logits against the batch, with named dimensions: the generator's `[batch, sequence,
 * vocabulary]` and the discriminator's `[batch, sequence]` (sizes from the batch and the options).
 */
function checkOutputs(outputs: unknown, batch: ElectraBatch, vocabularySize: number) {
  const site = (name: string) => ({ functionName: LOSS_FUNCTION, argumentName: `outputs.${name}` });
  const given = (outputs ?? {}) as Partial<ElectraModelOutputs>;
  const dimensions: DimensionSizes = {
    batch: batch.size,
    sequence: batch.dimensions['sequence']!,
    vocabulary: vocabularySize,
  };
  const generator = checkTensor(site('generatorLogits'), given.generatorLogits, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence', 'vocabulary'],
    dimensions,
  });
  const discriminator = checkTensor(site('discriminatorLogits'), given.discriminatorLogits, {
    dtypes: ['float32'],
    shape: ['batch', 'sequence'],
    dimensions,
  });
  return { generator, discriminator };
}

function checkBatchArgument(batch: unknown): asserts batch is ElectraBatch {
  const fields = (batch as ElectraBatch | null)?.fields;
  if (
    fields == null ||
    Object.keys(ELECTRA_BATCH_FIELDS).some((name) => fields[name as keyof typeof fields] == null)
  ) {
    throw new InvalidArgumentError({
      functionName: LOSS_FUNCTION,
      argumentName: 'batch',
      expected: `an ElectraBatch with the fields ${Object.keys(ELECTRA_BATCH_FIELDS).join(', ')}`,
      received: batch,
      fix: 'pass the batch made by this objective’s createBatch (or applyGeneratorSamples).',
    });
  }
}

/**
 * Creates ELECTRA's pre-training objective (Clark et al., 2020), `'electra/replaced-token-detection'`:
 * $$L = L_{\mathrm{MLM}}(x, \theta_G) + \lambda\,L_{\mathrm{Disc}}(x, \theta_D),$$
 * - **generator** part: masked-LM cross-entropy over the masked positions,
 *   $L_{\mathrm{MLM}} = \frac{1}{|m|}\sum_{i \in m} -\log p_G(x_i \mid x^{\mathrm{masked}})$;
 * - **discriminator** part: binary cross-entropy of "was this token replaced?" over **every** real
 *   (non-padding) token of $x^{\mathrm{corrupt}}$, label 1 where the token differs from the original,
 *   $L_{\mathrm{Disc}} = \frac{1}{n}\sum_t -y_t\log D_t - (1-y_t)\log(1-D_t)$;
 * - $\lambda$ = `discriminatorWeight`, 50 by default as in the paper.
 *
 * Simplification: `createBatch` fills $x^{\mathrm{corrupt}}$ with proposals drawn uniformly from
 * the vocabulary. For the paper's rule (replacements sampled from the generator) run the generator
 * first, then `applyGeneratorSamples(batch, sampleGeneratorTokens(generatorLogits, batch, random))`
 * before the discriminator.
 *
 * @example
 * const objective = createElectraObjective({ vocabularySize: 30522, maskTokenId: 103, padTokenId: 0, specialTokenIds: [101, 102] });
 * const batch = objective.createBatch(texts, { random: createRng(1) });
 * const { loss } = objective.computeLoss({ outputs: { generatorLogits, discriminatorLogits }, batch });
 */
export function createElectraObjective(options: ElectraObjectiveOptions): ElectraObjective {
  const resolved = resolveElectraOptions(options);
  const objective = defineObjective<
    ElectraExample,
    ElectraBatch,
    ElectraModelOutputs,
    ElectraPartName
  >({
    objectiveId: ELECTRA_OBJECTIVE_ID,
    description:
      'ELECTRA replaced-token detection: a small masked-LM generator plus a discriminator that tells original from replaced tokens.',
    partNames: ['generator', 'discriminator'],
    batchFields: ELECTRA_BATCH_FIELDS,
    createBatch: (examples, { random }) => createElectraBatch(examples, resolved, random),
    computeLoss({ outputs, batch, numItemsInBatch }): ObjectiveLossResult<ElectraPartName> {
      checkBatchArgument(batch);
      const logits = checkOutputs(outputs, batch, resolved.vocabularySize);
      const normaliser = (part: ElectraPartName) =>
        numItemsInBatch?.[part] === undefined
          ? batch.counts[part]
          : checkFiniteNumber(
              { functionName: LOSS_FUNCTION, argumentName: `numItemsInBatch.${part}` },
              numItemsInBatch[part],
              { min: 0 },
              'pass the total count of this part over the accumulation window.',
            );
      const generatorNormaliser = normaliser('generator');
      const discriminatorNormaliser = normaliser('discriminator');
      const { generatorLabels, discriminatorLabels, attentionMask } = batch.fields;
      return tidyResult((): ObjectiveLossResult<ElectraPartName> => {
        const generator = tokenCrossEntropy({ logits: logits.generator }, generatorLabels.data, {
          numItemsInBatch: generatorNormaliser,
        });
        const discriminator = replacedTokenDetectionLoss(
          logits.discriminator,
          discriminatorLabels.data,
          attentionMask.data,
          discriminatorNormaliser,
        );
        const { accuracy: generatorAccuracy } = tokenAccuracy(
          logits.generator,
          generatorLabels.data,
        );
        // Off the tape: a prediction is "replaced" when its logit is positive.
        const predicted = tf.cast(tf.greater(logits.discriminator, 0), 'int32');
        const agree = tf.mul(
          tf.cast(
            tf.equal(predicted, tf.tensor(discriminatorLabels.data, predicted.shape, 'int32')),
            'float32',
          ),
          tf.tensor(Float32Array.from(attentionMask.data), predicted.shape, 'float32'),
        );
        const realTokens = Math.max(1, batch.counts.discriminator);
        const replaced = discriminatorLabels.data.reduce((total, label) => total + label, 0);
        return {
          loss: tf.add(
            generator.loss,
            tf.mul(discriminator.loss, resolved.discriminatorWeight),
          ) as tf.Scalar,
          parts: { generator, discriminator },
          metrics: {
            generatorAccuracy,
            discriminatorAccuracy: tf.div(tf.sum(agree), realTokens) as tf.Scalar,
            replacedRatio: tf.scalar(replaced / realTokens),
          },
        };
      });
    },
  });
  return Object.freeze({ ...objective, discriminatorWeight: resolved.discriminatorWeight });
}
