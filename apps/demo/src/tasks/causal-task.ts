import { batchToTensors, createRng } from '@lm-objectives/core';
import {
  type ConditionalExample,
  type ConditionalLmBatch,
  createConditionalLmObjective,
  type PromptCompletionExample,
} from '@lm-objectives/lora';
import { type CausalDecoder, createCausalDecoder } from '@lm-objectives/models';
import type { WindowContext } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { completePrompts } from './complete-prompts';
import { splitCorpus } from './corpus-split';
import { decoderForward } from './decoder-forward';
import { definedOnly } from './defined-only';
import type { DemoTask, DemoTaskOptions } from './demo-task';
import { encodeCorpus } from './encode-corpus';
import { conditionalExplanationOf } from './explanation-of-row';
import { heldOutBaseline } from './held-out-baseline';
import { pretrainingMembers } from './pretraining-members';
import { createTaskRuntime } from './task-runtime';
import { createTokenWindows } from './token-windows';
import { scoredRows, topOneAccuracy } from './top-one-accuracy';

/** Defaults of {@link createCausalTask}. */
export const CAUSAL_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 300,
  batchSize: 16,
  sequenceLength: 32,
  learningRate: 5e-3,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  initializerRange: 0.1,
});

/** Most rows of the fixed evaluation batch (windows of the held-out text). */
const EVALUATION_ROWS = 128;

/** Tokens of a sample's prompt and of its expected continuation. */
const SAMPLE_PROMPT_TOKENS = 12;
const SAMPLE_COMPLETION_TOKENS = 6;

/** A causal pre-training task, with its decoder exposed for the fine-tuning tasks built on it. */
export interface CausalTask extends DemoTask<ConditionalLmBatch> {
  readonly id: 'causal';
  readonly model: CausalDecoder;
}

/**
 * Causal language-model pre-training on the corpus: a GPT-2-style `createCausalDecoder` (output
 * layer tied to the token table) scored on every next token of corpus windows with
 * `@lm-objectives/lora`'s conditional objective in `strategy: 'all'` (plain next-token
 * prediction). Its model is the frozen base of the LoRA and prefix-tuning tasks.
 */
export function createCausalTask(options: DemoTaskOptions): CausalTask {
  const settings = { ...CAUSAL_TASK_DEFAULTS, ...definedOnly(options) };
  const { tokenizer } = options;
  const ids = tokenizer.specialTokenIds;
  const vocabularySize = tokenizer.vocabularySize;
  const encoded = encodeCorpus(options.corpus, tokenizer);
  const split = splitCorpus(encoded);
  const windows = createTokenWindows(split, settings.sequenceLength);
  // Every token is scored; the first token of a window is the (one-token) prompt.
  const asExample = (window: Int32Array): PromptCompletionExample => ({
    prompt: window.subarray(0, 1),
    completion: window.subarray(1),
  });
  const objective = createConditionalLmObjective({
    eosTokenId: ids['[EOS]'],
    padTokenId: ids['[PAD]'],
    vocabularySize,
    strategy: 'all',
    appendEos: false,
  });
  // The fine-tuning tasks reuse this model on prompt + completion rows, which may be longer.
  const model = createCausalDecoder({
    vocabularySize,
    hiddenSize: settings.hiddenSize,
    numLayers: settings.numLayers,
    numHeads: settings.numHeads,
    maxPositions: Math.max(64, settings.sequenceLength),
    seed: settings.seed,
    initializerRange: settings.initializerRange,
  });
  const evaluationBatch = objective.createBatch(windows.heldOut(EVALUATION_ROWS).map(asExample), {
    random: createRng(settings.seed + 1),
  });
  const nextWindow = ({
    random,
    createBatch,
  }: WindowContext<ConditionalExample, ConditionalLmBatch>) => [
    createBatch(
      Array.from({ length: settings.batchSize }, () => asExample(windows.training(random))),
    ),
  ];
  const runtime = createTaskRuntime({
    objective,
    model: {
      variables: model.variables,
      embeddings: model.embeddingVariables,
      ...decoderForward(model),
    },
    settings,
    weightDecay: 0.01,
    nextWindow,
    evaluationBatch,
  });
  const baseline = heldOutBaseline({
    nextWindow,
    createBatch: (examples, random) => objective.createBatch(examples, { random }),
    random: createRng(settings.seed + 2),
    vocabularySize,
    evaluationBatch,
  });
  const nextTokenRows = scoredRows(
    evaluationBatch.fields.labels.data,
    evaluationBatch.dimensions['sequence']!,
    { shift: true },
  );
  // Samples: how the held-out part of the first addresses goes on (text never trained on).
  const prompts = Array.from(split.heldOut.documentStarts.subarray(0, 3), (start) => ({
    prompt: split.heldOut.stream.subarray(start, start + SAMPLE_PROMPT_TOKENS),
    completion: split.heldOut.stream.subarray(
      start + SAMPLE_PROMPT_TOKENS,
      start + SAMPLE_PROMPT_TOKENS + SAMPLE_COMPLETION_TOKENS,
    ),
  }));
  const explainedExample = asExample(windows.heldOut(1)[0]!);
  const piece = (id: number) => tokenizer.vocabulary[id] ?? '?';

  return {
    id: 'causal',
    title: 'Causal LM (pre-training)',
    description: `${model.config.numLayers}-layer pre-LN decoder, H = ${model.config.hiddenSize}, next-token prediction on ${settings.sequenceLength}-token windows.`,
    ...pretrainingMembers({
      objective,
      model,
      runtime,
      settings,
      vocabularySize,
      nextWindow,
      explainedExample,
      piece,
    }),
    baseline,
    evaluate() {
      const { loss } = runtime.scoreEvaluationBatch();
      const { hiddenStates, projection } = tf.tidy(() =>
        decoderForward(model).apply({
          tensors: batchToTensors(evaluationBatch, ['inputIds', 'attentionMask', 'positionIds']),
        }),
      );
      return {
        loss,
        tokenLoss: loss,
        accuracy: topOneAccuracy(hiddenStates, projection, nextTokenRows),
      };
    },
    samplePredictions: () => completePrompts(model, tokenizer, prompts),
    explain() {
      return conditionalExplanationOf(this.explainBatch(), piece);
    },
  };
}
