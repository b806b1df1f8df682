import { batchToTensors, createRng } from '@lm-objectives/core';
import {
  createGlmObjective,
  createSentenceSplitter,
  type GlmBatch,
  type GlmExample,
  type GlmSample,
  glmAttentionBias,
  glmAttentionMask,
} from '@lm-objectives/glm';
import { createGlmEncoder, type GlmEncoder } from '@lm-objectives/models';
import type { WindowContext } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import { splitCorpus } from './corpus-split';
import { definedOnly } from './defined-only';
import type { DemoTask, DemoTaskOptions, GlmTaskExplanation, SamplePrediction } from './demo-task';
import { encodeCorpus } from './encode-corpus';
import { greedyArgmax } from './greedy-argmax';
import { heldOutBaseline } from './held-out-baseline';
import { startFromCheckpoint } from './model-checkpoint';
import { pretrainingMembers } from './pretraining-members';
import { createTaskRuntime } from './task-runtime';
import { createTokenWindows } from './token-windows';
import { scoredRows, topOneAccuracy } from './top-one-accuracy';

/** Defaults of {@link createGlmTask}. `sequenceLength` is the text length before blanking. */
export const GLM_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 150,
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

/**
 * GLM pre-training on the corpus: `@lm-objectives/glm`'s autoregressive blank infilling with
 * GLM-10B's mixture (token spans 50%, whole sentences 30%, a `[gMASK]` document suffix 20%) on
 * windows of the addresses, with a pre-LN `createGlmEncoder` (two position tables) under GLM's
 * mixed attention mask ($j < \mathrm{sep} \lor j \le i$). Only Part B tokens are scored.
 */
export function createGlmTask(options: DemoTaskOptions): DemoTask<GlmBatch> {
  const settings = { ...GLM_TASK_DEFAULTS, ...definedOnly(options) };
  const { tokenizer } = options;
  const ids = tokenizer.specialTokenIds;
  const vocabularySize = tokenizer.vocabularySize;
  // Windows start with a sentence and end with a word: no blank starts or ends inside a word.
  const windows = createTokenWindows(
    splitCorpus(encodeCorpus(options.corpus, tokenizer)),
    settings.sequenceLength,
    { wholeWords: true },
  );
  const specialTokenIds = {
    clsTokenId: ids['[CLS]'],
    maskTokenId: ids['[MASK]'],
    sMaskTokenId: ids['[sMASK]'],
    gMaskTokenId: ids['[gMASK]'],
    sopTokenId: ids['[sop]'],
    eopTokenId: ids['[eop]'],
    padTokenId: ids['[PAD]'],
  };
  const objective = createGlmObjective({
    ...specialTokenIds,
    spanProbability: 0.5,
    sentenceProbability: 0.3,
    sentenceSplitter: createSentenceSplitter({ vocabulary: tokenizer.vocabulary }),
  });
  // Part A is the text plus [CLS]; Part B adds one [sop] per blank: twice the text is ample.
  const maxPositions = 2 * (settings.sequenceLength + 1);
  const model = createGlmEncoder({
    vocabularySize,
    hiddenSize: settings.hiddenSize,
    numLayers: settings.numLayers,
    numHeads: settings.numHeads,
    maxPositions,
    seed: settings.seed,
    initializerRange: settings.initializerRange,
  });
  if (options.checkpoint)
    startFromCheckpoint(options.checkpoint, tokenizer, 'glm', { model, objective });
  const heldOut = windows.heldOut(EVALUATION_ROWS);
  const evaluationBatch = objective.createBatch(heldOut, { random: createRng(settings.seed + 1) });
  const nextWindow = ({ random, createBatch }: WindowContext<GlmExample, GlmBatch>) => [
    createBatch(Array.from({ length: settings.batchSize }, () => windows.training(random))),
  ];
  const forward = (tensors: Readonly<Record<string, tf.Tensor>>, batch: GlmBatch) => {
    const attentionBias = glmAttentionBias(batch);
    const outputs = model.apply({
      inputIds: tensors['inputIds']!,
      positionIds: tensors['positionIds']!,
      blockPositionIds: tensors['blockPositionIds']!,
      attentionBias,
    });
    attentionBias.dispose();
    return { hiddenStates: outputs.hiddenStates, projection: outputs.projection };
  };
  const runtime = createTaskRuntime<GlmExample, GlmBatch, ReturnType<typeof forward>>({
    objective,
    model: {
      variables: model.variables,
      embeddings: model.embeddingVariables,
      inputFields: ['inputIds', 'positionIds', 'blockPositionIds'],
      apply: ({ tensors, batch }) => forward(tensors, batch),
    },
    settings,
    weightDecay: 0.01,
    nextWindow,
    evaluationBatch,
  });
  const blankRows = scoredRows(
    evaluationBatch.fields.labels.data,
    evaluationBatch.dimensions['sequence']!,
    { excluded: [ids['[eop]']] },
  );
  const baseline = heldOutBaseline({
    nextWindow,
    createBatch: (examples, random) => objective.createBatch(examples, { random }),
    random: createRng(settings.seed + 2),
    vocabularySize,
    evaluationBatch,
    excludedFromAccuracy: [ids['[eop]']],
  });
  const spanSample = (seed: number) =>
    objective.builder.build(heldOut[0]!, createRng(seed), { mode: 'span', singleSpan: false });
  const piece = (id: number) => tokenizer.vocabulary[id] ?? '?';
  const textWithCls = Int32Array.from([specialTokenIds.clsTokenId, ...heldOut[0]!]);

  return {
    id: 'glm',
    title: 'GLM (blank infilling)',
    description: `${model.config.numLayers}-layer pre-LN encoder with 2-D positions, H = ${model.config.hiddenSize}, on ${settings.sequenceLength}-token windows: spans 50% / sentences 30% / [gMASK] suffix 20%.`,
    ...pretrainingMembers({
      objective,
      model,
      runtime,
      settings,
      vocabularySize,
      nextWindow,
      explainedExample: heldOut[0]!,
      piece,
    }),
    baseline,
    evaluate() {
      const { loss } = runtime.scoreEvaluationBatch();
      const { hiddenStates, projection } = tf.tidy(() =>
        forward(
          batchToTensors(evaluationBatch, ['inputIds', 'positionIds', 'blockPositionIds']),
          evaluationBatch,
        ),
      );
      return {
        loss,
        tokenLoss: loss,
        accuracy: topOneAccuracy(hiddenStates, projection, blankRows),
      };
    },
    samplePredictions() {
      return [settings.seed, settings.seed + 1].map((seed) =>
        infillGreedily(model, tokenizer, spanSample(seed), textWithCls),
      );
    },
    explain(): GlmTaskExplanation {
      const sample = objective.builder.build(heldOut[0]!, createRng(settings.seed));
      const length = sample.inputIds.length;
      const mask = glmAttentionMask([sample.sep], length).data;
      let offset = sample.sep;
      const partB = sample.order.map((blank) => {
        const span = sample.spans[blank]!;
        const size = span.end - span.start + (sample.mode === 'document' ? 0 : 1);
        const segment = {
          blank,
          start: span.start,
          end: span.end,
          inputTokens: Array.from(sample.inputIds.subarray(offset, offset + size), piece),
          targetTokens: Array.from(sample.targets.subarray(offset, offset + size), piece),
        };
        offset += size;
        return segment;
      });
      return {
        kind: 'glm',
        mode: sample.mode,
        textTokens: Array.from(textWithCls, piece),
        partA: Array.from(sample.inputIds.subarray(0, sample.sep), piece),
        partB,
        tokens: Array.from(sample.inputIds, piece),
        positionIds: Array.from(sample.positionIds),
        blockPositionIds: Array.from(sample.blockPositionIds),
        separator: sample.sep,
        attentionMask: Array.from({ length }, (_, query) =>
          Array.from({ length }, (_, key) => mask[query * length + key] === 1),
        ),
      };
    },
  };
}

/**
 * Fills each blank of a span sample on its own, greedily: Part A, then `[sop]` at the blank's
 * position with block position 1, 2, …, appending the arg-max token until `[eop]` (or twice the
 * true length). `text` is the uncorrupted text with `[CLS]`. Part A is never changed, so every blank sees the same context.
 */
function infillGreedily(
  model: GlmEncoder,
  tokenizer: WordPieceTokenizer,
  sample: GlmSample,
  text: Int32Array,
): SamplePrediction {
  const ids = tokenizer.specialTokenIds;
  const partA = Array.from(sample.inputIds.subarray(0, sample.sep));
  const maskPositions = partA
    .map((id, position) => (id === ids['[MASK]'] ? position : -1))
    .filter((position) => position >= 0);
  const fills = sample.spans.map((span, blank) => {
    const maskPosition = maskPositions[blank]!;
    const generated: number[] = [];
    const limit = 2 * (span.end - span.start) + 1;
    while (generated.length < limit) {
      const input = [...partA, ids['[sop]'], ...generated];
      const next = tf.tidy(() => {
        const length = input.length;
        const tensors = {
          inputIds: tf.tensor2d(input, [1, length], 'int32'),
          positionIds: tf.tensor2d(
            [
              ...partA.map((_, position) => position),
              ...input.slice(partA.length).map(() => maskPosition),
            ],
            [1, length],
            'int32',
          ),
          blockPositionIds: tf.tensor2d(
            [...partA.map(() => 0), ...input.slice(partA.length).map((_, index) => index + 1)],
            [1, length],
            'int32',
          ),
          attentionBias: glmAttentionBias([partA.length], length),
        };
        // At least one token per blank: [eop] is not allowed first.
        return greedyArgmax(
          model.apply(tensors),
          generated.length === 0 ? ids['[eop]'] : undefined,
        );
      });
      if (next === ids['[eop]']) break;
      generated.push(next);
    }
    return generated;
  });
  const original = sample.spans.map((span) =>
    tokenizer.decode(text.subarray(span.start, span.end)),
  );
  return {
    input: tokenizer.decode(partA.slice(1)),
    output: fills.map((fill) => `«${tokenizer.decode(fill)}»`).join(' '),
    expected: original.map((span) => `«${span}»`).join(' '),
  };
}
