// Each first-party objective with its reference model, as the demo and the integration tests
// wire them: the loss, its parts and the gradient of every trained variable for one real batch
// (the objective's own data side, seeded), computed by the trainer's `accumulateGradients`.
import { type BertPairExample, createBertObjective } from '@lm-objectives/bert';
import { createRng, type LossObjectiveV1, type ObjectiveBatchV1 } from '@lm-objectives/core';
import { createGlmObjective, glmAttentionBias } from '@lm-objectives/glm';
import {
  type ConditionalExample,
  createConditionalLmObjective,
  createLoraAdapters,
} from '@lm-objectives/lora';
import {
  type CausalDecoder,
  createBertEncoder,
  createCausalDecoder,
  createGlmEncoder,
} from '@lm-objectives/models';
import { createPrefixEncoder, createPrefixTrainableModel } from '@lm-objectives/prefix';
import { accumulateGradients, type TrainableModel } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type { AgreementCase, CaseRun } from '../agreement-case';
import { gradientName, seededIds, seededValues } from '../agreement-case';

const VOCABULARY = 64;
const SIZES = { hiddenSize: 16, numLayers: 2, numHeads: 2, seed: 3 } as const;
/** Special token ids, below the ids the examples draw (10…63). */
const PAD = 0;
const CLS = 1;
const SEP = 2;
const MASK = 3;
const EOS = 4;
const SOP = 5;
const EOP = 6;
const G_MASK = 7;
const FIRST_WORD = 10;

function words(count: number, seed: number): Int32Array {
  const ids = seededIds(count, seed, VOCABULARY - FIRST_WORD);
  return ids.map((id) => id + FIRST_WORD);
}

/** The loss, each part's sum and count, and every variable's gradient, by variable name. */
function lossAndGradients<Batch extends ObjectiveBatchV1, Outputs>(
  objective: LossObjectiveV1<never, Batch, Outputs, string>,
  model: TrainableModel<Outputs, Batch>,
  batch: Batch,
  dispose: () => void,
): CaseRun {
  const variables = [...model.variables, ...objective.trainableWeights()];
  const window = accumulateGradients({ objective, model, window: [batch], variables });
  const outputs: Record<string, tf.Tensor> = { loss: window.loss };
  for (const [part, { sum, count }] of Object.entries(window.parts)) {
    outputs[`${part}.sum`] = sum;
    outputs[`${part}.count`] = count;
  }
  window.gradients.forEach((gradient, index) => {
    if (gradient) outputs[gradientName(variables[index]!, index)] = gradient;
  });
  return {
    outputs,
    dispose: () => {
      window.dispose();
      dispose();
    },
  };
}

/** Sets every variable to seeded values of about its own scale (LoRA's B starts at 0, for one). */
function perturb(variables: readonly tf.Variable[], seed: number): void {
  variables.forEach((variable, index) => {
    tf.tidy(() =>
      variable.assign(
        tf.tensor(seededValues(variable.size, seed + index, 0.05), variable.shape, 'float32'),
      ),
    );
  });
}

const bertCase: AgreementCase = {
  name: 'bert/mlm-nsp with a post-LN BERT encoder (tied masked-LM projection)',
  run: () => {
    const model = createBertEncoder({ vocabularySize: VOCABULARY, maxPositions: 24, ...SIZES });
    const objective = createBertObjective({
      vocabularySize: VOCABULARY,
      hiddenSize: SIZES.hiddenSize,
      clsTokenId: CLS,
      sepTokenId: SEP,
      padTokenId: PAD,
      maskTokenId: MASK,
      maxLength: 24,
      padding: 'max-length',
      specialTokenIds: Array.from({ length: FIRST_WORD }, (_, id) => id),
      seed: 4,
    });
    const examples: BertPairExample[] = [7, 9, 5].map((lengthA, row) => {
      const a = words(lengthA, 30 + row);
      const b = words(12 - lengthA, 40 + row);
      const inputIds = Int32Array.from([CLS, ...a, SEP, ...b, SEP]);
      const tokenTypeIds = inputIds.map((_, index) => (index <= lengthA + 1 ? 0 : 1));
      return { inputIds, tokenTypeIds, nextSentenceLabel: row === 1 ? 1 : 0 };
    });
    const batch = objective.createBatch(examples, { random: createRng(5) });
    const trainable = {
      variables: model.variables,
      inputFields: ['inputIds', 'tokenTypeIds', 'attentionMask'],
      apply: ({ tensors }: { tensors: Readonly<Record<string, tf.Tensor>> }) => {
        const outputs = model.apply({
          inputIds: tensors['inputIds']!,
          tokenTypeIds: tensors['tokenTypeIds']!,
          attentionMask: tensors['attentionMask']!,
        });
        return { hiddenStates: outputs.hiddenStates, embeddingTable: outputs.embeddingTable };
      },
    };
    return lossAndGradients(objective, trainable, batch, () => {
      objective.dispose();
      model.dispose();
    });
  },
};

const glmCase: AgreementCase = {
  name: 'glm/blank-infilling with a GLM encoder (span and gMASK modes, 2-D positions)',
  run: () => {
    const model = createGlmEncoder({ vocabularySize: VOCABULARY, maxPositions: 64, ...SIZES });
    const objective = createGlmObjective({
      clsTokenId: CLS,
      maskTokenId: MASK,
      sopTokenId: SOP,
      eopTokenId: EOP,
      gMaskTokenId: G_MASK,
      padTokenId: PAD,
      spanProbability: 0.6,
      sentenceProbability: 0,
    });
    const examples = [20, 16, 24].map((length, row) => words(length, 50 + row));
    const batch = objective.createBatch(examples, { random: createRng(6) });
    const trainable: TrainableModel<ReturnType<typeof model.apply>, typeof batch> = {
      variables: model.variables,
      inputFields: ['inputIds', 'positionIds', 'blockPositionIds'],
      apply: ({ tensors, batch: current }) =>
        tf.tidy(() =>
          model.apply({
            inputIds: tensors['inputIds']!,
            positionIds: tensors['positionIds']!,
            blockPositionIds: tensors['blockPositionIds']!,
            attentionBias: glmAttentionBias(current),
          }),
        ),
    };
    return lossAndGradients(objective, trainable, batch, () => {
      objective.dispose();
      model.dispose();
    });
  },
};

/** Prompt → completion pairs of different lengths, for the conditional objective. */
function conditionalExamples(): ConditionalExample[] {
  return [
    [5, 4],
    [3, 6],
    [7, 2],
  ].map(([prompt, completion], row) => ({
    prompt: words(prompt!, 60 + row),
    completion: words(completion!, 70 + row),
  }));
}

/** A small causal decoder, the conditional objective and the decoder as the trainer sees it. */
function conditionalSetup(base: CausalDecoder) {
  const objective = createConditionalLmObjective({
    eosTokenId: EOS,
    padTokenId: PAD,
    vocabularySize: VOCABULARY,
  });
  const batch = objective.createBatch(conditionalExamples(), { random: createRng(7) });
  const forward = {
    inputFields: ['inputIds', 'attentionMask', 'positionIds'],
    apply: ({ tensors }: { tensors: Readonly<Record<string, tf.Tensor>> }) => {
      const outputs = base.apply({
        inputIds: tensors['inputIds']!,
        attentionMask: tensors['attentionMask']!,
        positionIds: tensors['positionIds']!,
      });
      return { hiddenStates: outputs.hiddenStates, projection: outputs.projection };
    },
  };
  return { objective, batch, forward };
}

const loraCase: AgreementCase = {
  name: 'lora/conditional-lm with rank-4 LoRA on every linear of a frozen causal decoder',
  run: () => {
    const base = createCausalDecoder({ vocabularySize: VOCABULARY, maxPositions: 16, ...SIZES });
    const { objective, batch, forward } = conditionalSetup(base);
    const lora = createLoraAdapters(base.linears, {
      rank: 4,
      alpha: 8,
      modelVariables: [...base.variables],
      seed: 8,
    });
    perturb(lora.trainableWeights(), 80);
    const removals = [...lora.adapters.keys()].map((name) =>
      base.wrapLinear(name, (x) => lora.linear(name, x)),
    );
    return lossAndGradients(
      objective,
      { variables: lora.trainableWeights(), ...forward },
      batch,
      () => {
        for (const remove of removals) remove();
        lora.dispose();
        objective.dispose();
        base.dispose();
      },
    );
  },
};

const prefixCase: AgreementCase = {
  name: 'prefix tuning (4 virtual tokens, MLP reparameterisation) on a frozen causal decoder',
  run: () => {
    const base = createCausalDecoder({ vocabularySize: VOCABULARY, maxPositions: 16, ...SIZES });
    const { objective, batch } = conditionalSetup(base);
    const prefix = createPrefixEncoder(base.config, {
      numVirtualTokens: 4,
      prefixProjection: true,
      seed: 9,
    });
    const model = createPrefixTrainableModel(base, prefix);
    return lossAndGradients(objective, model, batch, () => {
      prefix.dispose();
      objective.dispose();
      base.dispose();
    });
  },
};

/** Every objective case. */
export const OBJECTIVE_CASES: readonly AgreementCase[] = [bertCase, glmCase, loraCase, prefixCase];
