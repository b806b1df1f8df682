import type { LossObjectiveV1, ObjectiveBatchV1 } from '@lm-objectives/core';
import type { TransformerModel } from '@lm-objectives/models';
import type {
  BatchExplanation,
  StepResult,
  Trainer,
  TrainingProgress,
  TrainingSummary,
  WindowContext,
} from '@lm-objectives/trainer';
import type { Corpus } from '../corpus/corpus';
import type { WordPieceTokenizer } from '../corpus/word-piece-tokenizer';
import type { TokenBaseline } from './token-baseline';

/** The demo's training phases, in the order the CLI runs them. */
export type DemoTaskId = 'bert' | 'glm' | 'causal' | 'lora' | 'prefix';

/**
 * What every task factory takes. The corpus and the tokenizer are passed in (never read from
 * disk here), so the tasks run in Node, in a browser and in a Web Worker alike.
 */
export interface DemoTaskOptions {
  /** The parsed `corpus/sotu.json`. */
  readonly corpus: Corpus;
  /** The tokenizer over the parsed `corpus/vocabulary.json` (`createWordPieceTokenizer`). */
  readonly tokenizer: WordPieceTokenizer;
  /** Seeds the model's initial weights, the objective's heads and the data stream. Default 1. */
  readonly seed?: number;
  /** Optimizer steps the task's schedule is laid out for (`train()` runs this many). */
  readonly steps?: number;
  /** Rows per batch. */
  readonly batchSize?: number;
  /** Longest row in tokens (the model's position table is at least this long). */
  readonly sequenceLength?: number;
  /** Peak learning rate of the warmup + cosine schedule. */
  readonly learningRate?: number;
  /** Model width $H$. */
  readonly hiddenSize?: number;
  /** Transformer blocks. */
  readonly numLayers?: number;
  /** Attention heads (must divide `hiddenSize`). */
  readonly numHeads?: number;
  /**
   * Standard deviation of the initial weights. The demo's models are narrow (H = 64), so the
   * usual 0.02 gives embeddings too short for the tied output layer to be confident early on; 0.1
   * lets them learn faster.
   */
  readonly initializerRange?: number;
  /**
   * A checkpoint of this task to start from (BERT, GLM: the shipped one, `checkpoints/<task>.safetensors`,
   * written by `scripts/train-checkpoints.ts`): the model's and the objective's weights are
   * loaded before the first step. Absent: the task starts from freshly initialised weights.
   */
  readonly checkpoint?: Uint8Array;
}

/** Trainable and total parameter counts of a task (model + objective heads + adapters). */
export interface TaskParameterCounts {
  /** Parameters the optimizer updates. */
  readonly trainable: number;
  /** Every parameter the forward pass uses. */
  readonly total: number;
}

/** One sample prediction, as text: what went in, what the model produced, and the truth. */
export interface SamplePrediction {
  /** The model input as text (masks and blanks shown as `[MASK]`, `[sMASK]`, …). */
  readonly input: string;
  /** What the model produced: top-k fillers, infilled spans, or a greedy completion. */
  readonly output: string;
  /** The original text the model should have produced. */
  readonly expected: string;
}

/** BERT's batch row for a visualiser: what the masker did and the NSP label. */
export interface BertTaskExplanation {
  readonly kind: 'bert';
  /** Token strings of the model input (after masking), padding dropped. */
  readonly tokens: readonly string[];
  /** Per token: the original token (before masking). */
  readonly originalTokens: readonly string[];
  /** Per token: `'none'`, `'masked'` (→ `[MASK]`), `'random'` (→ a random token) or `'kept'` (selected, unchanged). */
  readonly actions: readonly ('none' | 'masked' | 'random' | 'kept')[];
  /** Per token: the token type, 0 for `[CLS] A [SEP]`, 1 for `B [SEP]`. */
  readonly tokenTypeIds: readonly number[];
  /** Whether B follows A in the corpus (NSP label 0) or was drawn from another address (label 1). */
  readonly isNext: boolean;
}

/** One blank of a GLM sample, as Part B holds it. */
export interface GlmBlankExplanation {
  /** The blank's index in text order. */
  readonly blank: number;
  /** Where it was in the text (`[CLS]` = 0), `start` inclusive, `end` exclusive. */
  readonly start: number;
  readonly end: number;
  /** Part B input: `[sop]` and the span. */
  readonly inputTokens: readonly string[];
  /** Part B targets: the span and `[eop]` (no `[eop]` for a `[gMASK]` suffix). */
  readonly targetTokens: readonly string[];
}

/** GLM's sample for a visualiser: Part A, Part B in permutation order, positions and the mask. */
export interface GlmTaskExplanation {
  readonly kind: 'glm';
  /** `'span'`, `'sentence'` or `'document'`. */
  readonly mode: string;
  /** The uncorrupted text with `[CLS]`. */
  readonly textTokens: readonly string[];
  /** Part A: the text with each blank replaced by one mask token. */
  readonly partA: readonly string[];
  /** Part B's segments in the order the sample generates them (a random permutation of the blanks). */
  readonly partB: readonly GlmBlankExplanation[];
  /** The whole input (Part A then Part B). */
  readonly tokens: readonly string[];
  /** First position row: Part A's indices, and for Part B the position of the blank's mask token. */
  readonly positionIds: readonly number[];
  /** Second position row: 0 in Part A, 1… within each Part B segment. */
  readonly blockPositionIds: readonly number[];
  /** The length of Part A. */
  readonly separator: number;
  /** `attentionMask[i][j]`: query `i` may attend to key `j` ($j < \mathrm{sep} \lor j \le i$). */
  readonly attentionMask: readonly (readonly boolean[])[];
}

/** A conditional (LoRA / prefix-tuning) row for a visualiser: prompt vs completion and the loss mask. */
export interface ConditionalTaskExplanation {
  readonly kind: 'conditional';
  /** Token strings of the row, padding dropped. */
  readonly tokens: readonly string[];
  /** Per token: `'prompt'` or `'completion'` (the completion includes `[EOS]`). */
  readonly roles: readonly ('prompt' | 'completion')[];
  /**
   * Per token: 1 when the token is a target of the loss (its label is not −100), else 0. With the
   * shift inside the loss, position $t$'s label is predicted from positions $< t$.
   */
  readonly lossMask: readonly number[];
  /** Virtual prefix positions every query also sees (prefix tuning; 0 otherwise). */
  readonly virtualTokens: number;
}

/** What {@link DemoTask.explain} returns, by objective. */
export type TaskExplanation = BertTaskExplanation | GlmTaskExplanation | ConditionalTaskExplanation;

/**
 * A task measured on its fixed held-out evaluation batch (text no training batch ever contains;
 * for the fine-tuning tasks, prompts none of their training pairs has).
 */
export interface TaskEvaluation {
  /** The objective's loss (BERT: masked LM + NSP). */
  readonly loss: number;
  /**
   * The mean cross-entropy per scored token, comparable with {@link TokenBaseline.unigramLoss}:
   * BERT's masked-LM part, GLM's Part B tokens, every next token of the causal model, the
   * completion tokens of the fine-tuning tasks.
   */
  readonly tokenLoss: number;
  /**
   * Top-1 accuracy on the scored tokens (BERT: the masked tokens; GLM: the tokens of its blanks,
   * every mode, `[eop]` left out; causal: every next token). Absent for the fine-tuning tasks.
   * {@link TokenBaseline.mostFrequentRate} is measured on the same targets.
   */
  readonly accuracy?: number;
  /** BERT: next-sentence accuracy on the held-out pairs. */
  readonly nextSentenceAccuracy?: number;
  /** Fine-tuning: greedy completions of the held-out prompts that equal the expected text. */
  readonly exactMatches?: { readonly matched: number; readonly total: number };
}

/** Options of {@link DemoTask.train}. */
export interface TaskTrainOptions {
  /** Called after every step (loss, tokens/s, memory…). */
  readonly onProgress?: (progress: TrainingProgress) => void | Promise<void>;
  /** Stops between two steps (the promise rejects with the trainer's `TrainingAbortedError`). */
  readonly signal?: AbortSignal;
  /** Yield to the event loop this often (ms), so a worker can receive messages. Default 16. */
  readonly yieldIntervalMs?: number;
  /**
   * Train until this many steps are done in total. Default {@link DemoTask.totalSteps}; beyond
   * it the schedule stays at its floor (a tenth of the peak), so training can go on ("keep training").
   */
  readonly untilStep?: number;
}

/**
 * One phase of the demo: a model, a real lm-objectives objective and a trainer (`createTrainer`),
 * with its data stream from the corpus, a fixed evaluation batch, sample predictions and a
 * per-token explanation of a batch. Environment-neutral: no files, no `process`.
 *
 * @typeParam Batch the objective's batch type.
 */
export interface DemoTask<Batch extends ObjectiveBatchV1 = ObjectiveBatchV1> {
  readonly id: DemoTaskId;
  /** A short title for tables and headings, e.g. `'BERT (masked LM + NSP)'`. */
  readonly title: string;
  /** One sentence on what is trained on what. */
  readonly description: string;
  /** The objective package's `LossObjective` v1. */
  readonly objective: LossObjectiveV1<never, Batch, never, string>;
  /** The reference model (from `@lm-objectives/models`). */
  readonly model: TransformerModel;
  /** The training loop bound to the objective, the model (or its adapters) and AdamW. */
  readonly trainer: Trainer<unknown, Batch, string>;
  /** The steps `train()` runs. */
  readonly totalSteps: number;
  /** $V$; the loss of uniform guessing is $\ln V$. */
  readonly vocabularySize: number;
  /** What a context-free model achieves on the held-out batch: $\ln V$, the unigram loss, the most-frequent-token rate. */
  readonly baseline: TokenBaseline;
  /** Trainable versus total parameters. */
  readonly parameterCounts: TaskParameterCounts;
  /** The batch source: the next step's micro-batches, drawn with the trainer's random source. */
  nextWindow(context: WindowContext<unknown, Batch>): Batch[];
  /** One optimizer step on the next window (synchronous). */
  step(): StepResult;
  /** Trains until {@link DemoTask.totalSteps} steps (or `untilStep`) are done. */
  train(options?: TaskTrainOptions): Promise<TrainingSummary>;
  /**
   * The task on its fixed held-out evaluation batch, drawn once from the task's seed (no
   * training). Comparable before and after training; a fresh model's loss is close to $\ln V$.
   */
  evaluate(): TaskEvaluation;
  /** A few predictions on fixed examples (cheap: greedy, no sampling). */
  samplePredictions(): SamplePrediction[];
  /** The first row of a fresh batch explained for a visualiser. */
  explain(): TaskExplanation;
  /** The same row as the trainer's generic per-token table (`explainBatch`). */
  explainBatch(): BatchExplanation;
  /** Frees the trainer, the objective's heads, adapters or prefixes, and the task's own model. */
  dispose(): void;
}
