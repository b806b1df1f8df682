import { createPrefixEncoder, createPrefixTrainableModel } from '@lm-objectives/prefix';
import { weightsUnchanged } from './base-weights';
import { completePrompts, exactMatches } from './complete-prompts';
import { definedOnly } from './defined-only';
import {
  createFineTuningData,
  type FineTuningTask,
  type FineTuningTaskOptions,
} from './fine-tuning-data';
import { createTaskRuntime } from './task-runtime';

/** Defaults of {@link createPrefixTask}. */
export const PREFIX_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 150,
  batchSize: 10,
  learningRate: 1e-1,
  numVirtualTokens: 8,
  prefixProjection: true,
});

/** Options of {@link createPrefixTask}: the common ones plus the pre-trained base and the prefix size. */
export interface PrefixTaskOptions extends FineTuningTaskOptions {
  /** $P$, virtual tokens per layer. Default 8. */ readonly numVirtualTokens?: number;
  /** Train through Li & Liang's reparameterising MLP (exported without it). Default `true`. */
  readonly prefixProjection?: boolean;
}

/** The prefix-tuning task, with the checks the demo makes on it. */
export interface PrefixTask extends FineTuningTask {
  readonly id: 'prefix';
  /** Values of the exported prefix ($P \cdot L \cdot 2H$; the MLP is discarded on export). */
  readonly exportedParameters: number;
}

/**
 * Prefix tuning on the same conditional task (the nouns of the prompt reversed) and the same
 * frozen base as the LoRA task:
 * `@lm-objectives/prefix`'s encoder ($P$ virtual tokens through the reparameterising MLP) supplies
 * extra keys and values in every layer through the decoder's prefix hook, trained with
 * `@lm-objectives/lora`'s completion-only objective (shared through core's contract).
 */
export function createPrefixTask(options: PrefixTaskOptions): PrefixTask {
  const settings = { ...PREFIX_TASK_DEFAULTS, ...definedOnly(options) };
  const { tokenizer, base } = options;
  const data = createFineTuningData(options, settings);
  const baseline = base.getWeights();
  const prefix = createPrefixEncoder(base.config, {
    numVirtualTokens: settings.numVirtualTokens,
    prefixProjection: settings.prefixProjection,
    seed: settings.seed,
  });
  const runtime = createTaskRuntime({
    objective: data.objective,
    model: createPrefixTrainableModel(base, prefix),
    settings,
    weightDecay: 0,
    nextWindow: data.nextWindow,
    evaluationBatch: data.evaluationBatch,
  });
  const trainable = prefix.parameterCount();

  return {
    id: 'prefix',
    title: 'Prefix tuning (conditional LM)',
    description: `${settings.numVirtualTokens} virtual tokens per layer${settings.prefixProjection ? ' through the reparameterising MLP' : ''} (exported: ${prefix.exportedParameterCount()} values) on the frozen causal decoder; the same reversal task, loss and held-out prompts as LoRA.`,
    objective: data.objective,
    model: base,
    ...runtime,
    totalSteps: settings.steps,
    vocabularySize: tokenizer.vocabularySize,
    parameterCounts: { trainable, total: base.parameterCounts().total + trainable },
    exportedParameters: prefix.exportedParameterCount(),
    nextWindow: data.nextWindow,
    baseWeightsUnchanged: () => weightsUnchanged(base, baseline),
    baseline: data.baseline,
    evaluate() {
      const { loss } = runtime.scoreEvaluationBatch();
      return {
        loss,
        tokenLoss: loss,
        exactMatches: exactMatches(base, tokenizer, data.pairs, () => prefix.keyValues()),
      };
    },
    samplePredictions: () => completePrompts(base, tokenizer, data.pairs, () => prefix.keyValues()),
    explain: () => data.explain(settings.numVirtualTokens),
    explainBatch: data.explainBatch,
    dispose() {
      runtime.trainer.dispose();
      prefix.dispose();
      data.objective.dispose();
    },
  };
}
