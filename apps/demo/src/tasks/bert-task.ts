import {
  type BertBatch,
  type BertPairExample,
  continuationTokenIdsFromVocabulary,
  createBertObjective,
  createNextSentencePairBuilder,
} from '@lm-objectives/bert';
import {
  batchToTensors,
  createRng,
  geluTanh,
  layerNormalization,
  linear,
} from '@lm-objectives/core';
import { createBertEncoder } from '@lm-objectives/models';
import type { WindowContext } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { type CorpusText, splitCorpus } from './corpus-split';
import { definedOnly } from './defined-only';
import type { BertTaskExplanation, DemoTask, DemoTaskOptions, SamplePrediction } from './demo-task';
import { encodeCorpus } from './encode-corpus';
import { bertExplanationOf } from './explanation-of-row';
import { heldOutBaseline } from './held-out-baseline';
import { startFromCheckpoint } from './model-checkpoint';
import { pretrainingMembers } from './pretraining-members';
import { createTaskRuntime } from './task-runtime';

/** Defaults of {@link createBertTask}: sized to train in about half a minute on one wasm thread. */
export const BERT_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 150,
  batchSize: 16,
  sequenceLength: 64,
  learningRate: 5e-3,
  hiddenSize: 64,
  numLayers: 2,
  numHeads: 4,
  initializerRange: 0.1,
});

/** Most rows of the fixed evaluation batch (pairs of held-out sentences). */
const EVALUATION_ROWS = 96;
/**
 * BERT pre-training on the corpus: `@lm-objectives/bert`'s masked LM (15%, 80/10/10, whole words)
 * plus next sentence prediction over `[CLS] A [SEP] B [SEP]` pairs of consecutive or random
 * sentences, on a post-LN `createBertEncoder` whose masked-LM output layer is tied to its token
 * table. The loss is $L = L_{\mathrm{mlm}} + L_{\mathrm{nsp}}$, starting near $\ln V + \ln 2$.
 */
export function createBertTask(options: DemoTaskOptions): DemoTask<BertBatch> {
  const settings = { ...BERT_TASK_DEFAULTS, ...definedOnly(options) };
  const { tokenizer } = options;
  const ids = tokenizer.specialTokenIds;
  const vocabularySize = tokenizer.vocabularySize;
  const split = splitCorpus(encodeCorpus(options.corpus, tokenizer));
  const pairBuilder = createNextSentencePairBuilder({
    clsTokenId: ids['[CLS]'],
    sepTokenId: ids['[SEP]'],
    maxLength: settings.sequenceLength,
  });
  // Training pairs from the training text; held-out pairs (B random from another address's
  // held-out sentences, or the true next ones) from the held-out text only.
  const pairsOf = (text: CorpusText, seed: number) =>
    pairBuilder.build(
      text.documents.map((document) => document.sentences),
      createRng(seed),
    ).examples;
  const training = pairsOf(split.training, settings.seed);
  const held = pairsOf(split.heldOut, settings.seed + 1).slice(0, EVALUATION_ROWS);

  const model = createBertEncoder({
    vocabularySize,
    hiddenSize: settings.hiddenSize,
    numLayers: settings.numLayers,
    numHeads: settings.numHeads,
    maxPositions: settings.sequenceLength,
    seed: settings.seed,
    initializerRange: settings.initializerRange,
  });
  const objective = createBertObjective({
    vocabularySize,
    hiddenSize: settings.hiddenSize,
    clsTokenId: ids['[CLS]'],
    sepTokenId: ids['[SEP]'],
    padTokenId: ids['[PAD]'],
    maskTokenId: ids['[MASK]'],
    maxLength: settings.sequenceLength,
    padding: 'max-length',
    specialTokenIds: Array.from({ length: 10 }, (_, id) => id),
    masking: {
      continuationTokenIds: continuationTokenIdsFromVocabulary(tokenizer.vocabulary),
    },
    seed: settings.seed,
  });
  if (options.checkpoint)
    startFromCheckpoint(options.checkpoint, tokenizer, 'bert', { model, objective });
  const evaluationBatch = objective.createBatch(held, { random: createRng(settings.seed + 1) });
  const nextWindow = ({ random, createBatch }: WindowContext<BertPairExample, BertBatch>) => [
    createBatch(
      Array.from(
        { length: settings.batchSize },
        () => training[random.int(0, training.length - 1)]!,
      ),
    ),
  ];
  const runtime = createTaskRuntime<BertPairExample, BertBatch, ReturnType<typeof forward>>({
    objective,
    model: {
      variables: model.variables,
      embeddings: model.embeddingVariables,
      inputFields: ['inputIds', 'tokenTypeIds', 'attentionMask'],
      apply: ({ tensors }) => forward(tensors),
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

  function forward(tensors: Readonly<Record<string, tf.Tensor>>) {
    const outputs = model.apply({
      inputIds: tensors['inputIds']!,
      tokenTypeIds: tensors['tokenTypeIds']!,
      attentionMask: tensors['attentionMask']!,
    });
    return { hiddenStates: outputs.hiddenStates, embeddingTable: outputs.embeddingTable };
  }

  const text = (id: number) => tokenizer.vocabulary[id] ?? '?';
  // The samples: the first held-out pairs, masked as in the evaluation batch's seed.
  const sampleBatch = objective.createBatch(held.slice(0, 3), {
    random: createRng(settings.seed + 1),
  });
  const sequenceLength = sampleBatch.dimensions['sequence']!;

  return {
    id: 'bert',
    title: 'BERT (masked LM + NSP)',
    description: `${model.config.numLayers}-layer post-LN encoder, H = ${model.config.hiddenSize}, on [CLS] A [SEP] B [SEP] pairs of ≤ ${settings.sequenceLength} tokens: 15% whole-word masking (80/10/10) + next sentence prediction.`,
    ...pretrainingMembers({
      objective,
      model,
      runtime,
      settings,
      vocabularySize,
      nextWindow,
      explainedExample: held[0]!,
      piece: text,
    }),
    baseline,
    evaluate() {
      const { loss, parts, metrics } = runtime.scoreEvaluationBatch();
      return {
        loss,
        tokenLoss: parts['maskedLm']!.loss,
        accuracy: metrics['maskedLmAccuracy']!,
        nextSentenceAccuracy: metrics['nextSentenceAccuracy']!,
      };
    },
    samplePredictions() {
      // The objective's masked-LM head applied by hand at the selected positions: the top 3 fillers.
      const rows = 3;
      const inputIds = sampleBatch.fields.inputIds.data;
      const labels = sampleBatch.fields.labels.data;
      const predictions: SamplePrediction[] = [];
      const scores = tf.tidy(() => {
        const tensors = batchToTensors(sampleBatch, ['inputIds', 'tokenTypeIds', 'attentionMask']);
        const { hiddenStates, embeddingTable } = forward(tensors);
        const head = objective.weights.maskedLm;
        const flat = tf.reshape(tf.slice(hiddenStates, [0, 0, 0], [rows, -1, -1]), [
          rows * sequenceLength,
          -1,
        ]);
        const transformed = layerNormalization(
          geluTanh(linear(flat, head.transformKernel, head.transformBias)),
          head.layerNormGamma,
          head.layerNormBeta,
          objective.options.layerNormEpsilon,
        );
        const logits = tf.add(tf.matMul(transformed, embeddingTable, false, true), head.outputBias);
        return tf.topk(logits, 3).indices;
      });
      const top = scores.dataSync();
      scores.dispose();
      const word = (id: number) => tokenizer.decode([id]).trim();
      for (let row = 0; row < rows; row++) {
        const start = row * sequenceLength;
        let end = start;
        while (end < start + sequenceLength && inputIds[end] !== ids['[PAD]']) end++;
        const selected = Array.from({ length: end - start }, (_, offset) => start + offset).filter(
          (index) => labels[index]! >= 0,
        );
        predictions.push({
          // Selected positions read [MASK] (80%), a random token (10%) or their own token (10%).
          input: tokenizer.decode(inputIds.subarray(start, end)),
          output: selected
            .map((index) => Array.from(top.subarray(index * 3, index * 3 + 3), word).join('/'))
            .join('  '),
          expected: selected.map((index) => word(labels[index]!)).join('  '),
        });
      }
      return predictions;
    },
    explain(): BertTaskExplanation {
      return bertExplanationOf(this.explainBatch(), text);
    },
  };
}
