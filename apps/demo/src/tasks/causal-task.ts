import { createRng } from '@lm-objectives/core';
import {
  type ConditionalExample,
  type ConditionalLmBatch,
  createConditionalLmObjective,
  type PromptCompletionExample,
} from '@lm-objectives/lora';
import { type CausalDecoder, createCausalDecoder } from '@lm-objectives/models';
import type { WindowContext } from '@lm-objectives/trainer';
import { openingPairs } from './conditional-examples';
import { decoderForward } from './decoder-forward';
import { definedOnly } from './defined-only';
import type { DemoTask, DemoTaskOptions, SamplePrediction } from './demo-task';
import { encodeCorpus } from './encode-corpus';
import { explainConditionalRow } from './explain-conditional';
import { greedyComplete } from './greedy-complete';
import { pretrainingMembers } from './pretraining-members';
import { createTaskRuntime } from './task-runtime';
import { createTokenWindows } from './token-windows';

/** Defaults of {@link createCausalTask}. */
export const CAUSAL_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 300,
  batchSize: 16,
  sequenceLength: 32,
  learningRate: 1e-2,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
});

const EVALUATION_ROWS = 32;

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
  const windows = createTokenWindows(encoded.stream, settings.sequenceLength);
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
  const prompts = openingPairs(encoded).slice(0, 3);
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
    samplePredictions: () => completeOpenings(model, tokenizer, prompts),
    explain: () =>
      explainConditionalRow(
        objective.createBatch([explainedExample], { random: createRng(settings.seed) }),
        explainedExample,
        piece,
      ),
  };
}

/** Greedy completions of prompt/completion pairs, decoded, with the true completion. */
export function completeOpenings(
  model: CausalDecoder,
  tokenizer: DemoTaskOptions['tokenizer'],
  pairs: readonly { prompt: ArrayLike<number>; completion: ArrayLike<number> }[],
  prefixKeyValues?: Parameters<typeof greedyComplete>[2]['prefixKeyValues'],
): SamplePrediction[] {
  return pairs.map((pair) => ({
    input: tokenizer.decode(pair.prompt),
    output: tokenizer.decode(
      greedyComplete(model, pair.prompt, {
        maxTokens: pair.completion.length + 2,
        stopId: tokenizer.specialTokenIds['[EOS]'],
        maxLength: model.config.maxPositions,
        ...(prefixKeyValues ? { prefixKeyValues } : {}),
      }),
    ),
    expected: tokenizer.decode(pair.completion),
  }));
}
