import { createLoraAdapters, type LoraParameterReport } from '@lm-objectives/lora';
import { weightsUnchanged } from './base-weights';
import { completePrompts, exactMatches } from './complete-prompts';
import { decoderForward } from './decoder-forward';
import { definedOnly } from './defined-only';
import {
  createFineTuningData,
  type FineTuningTask,
  type FineTuningTaskOptions,
} from './fine-tuning-data';
import { createTaskRuntime } from './task-runtime';

/** Defaults of {@link createLoraTask}. */
export const LORA_TASK_DEFAULTS = Object.freeze({
  seed: 1,
  steps: 300,
  batchSize: 16,
  learningRate: 3e-3,
  rank: 8,
  alpha: 64,
});

/** Options of {@link createLoraTask}: the common ones plus the pre-trained base and LoRA's own. */
export interface LoraTaskOptions extends FineTuningTaskOptions {
  /** $r$. Default 8. */ readonly rank?: number;
  /** $\alpha$ (scaling $\alpha / r$). Default 64: a scaling of 8 lets the adapters move the frozen model within the budget. */
  readonly alpha?: number;
}

/** The LoRA fine-tuning task, with the checks the demo makes on it. */
export interface LoraTask extends FineTuningTask {
  readonly id: 'lora';
  /** LoRA's own count: adapter parameters versus the whole (frozen base + adapters). */
  readonly loraReport: LoraParameterReport;
}

/**
 * LoRA fine-tuning on the conditional task (the nouns of the prompt in reverse order, see
 * `createWordReversal`): rank-$r$ adapters on every linear of every block of the pre-trained
 * decoder (`createLoraAdapters` + the model's `wrapLinear` hook), trained with
 * `@lm-objectives/lora`'s completion-only objective while the base stays frozen. It is evaluated
 * on held-out prompts (word combinations no training pair has): exact greedy completions.
 */
export function createLoraTask(options: LoraTaskOptions): LoraTask {
  const settings = { ...LORA_TASK_DEFAULTS, ...definedOnly(options) };
  const { tokenizer, base } = options;
  const data = createFineTuningData(options, settings);
  const baseline = base.getWeights();
  const lora = createLoraAdapters(base.linears, {
    rank: settings.rank,
    alpha: settings.alpha,
    targets: /^layers\.\d+\.(attention|feedForward)\./,
    modelVariables: [...base.variables],
    seed: settings.seed,
  });
  const removals = [...lora.adapters.keys()].map((name) =>
    base.wrapLinear(name, (x) => lora.linear(name, x)),
  );
  const runtime = createTaskRuntime({
    objective: data.objective,
    model: { variables: lora.trainableWeights(), ...decoderForward(base) },
    settings,
    weightDecay: 0,
    nextWindow: data.nextWindow,
    evaluationBatch: data.evaluationBatch,
  });
  const loraReport = lora.parameterReport();

  return {
    id: 'lora',
    title: 'LoRA (conditional LM)',
    description: `Rank-${settings.rank} LoRA (α = ${settings.alpha}) on all ${lora.adapters.size} linears of the frozen causal decoder; completion-only loss on fresh noun triples → the same nouns reversed, measured on ${data.pairs.length} held-out prompts.`,
    objective: data.objective,
    model: base,
    ...runtime,
    totalSteps: settings.steps,
    vocabularySize: tokenizer.vocabularySize,
    parameterCounts: {
      trainable: loraReport.trainableParameters,
      total: loraReport.totalParameters,
    },
    loraReport,
    nextWindow: data.nextWindow,
    baseWeightsUnchanged: () => weightsUnchanged(base, baseline),
    baseline: data.baseline,
    evaluate() {
      const { loss } = runtime.scoreEvaluationBatch();
      return { loss, tokenLoss: loss, exactMatches: exactMatches(base, tokenizer, data.pairs) };
    },
    samplePredictions: () => completePrompts(base, tokenizer, data.pairs),
    explain: () => data.explain(),
    explainBatch: data.explainBatch,
    dispose() {
      runtime.trainer.dispose();
      for (const remove of removals) remove();
      lora.dispose();
      data.objective.dispose();
    },
  };
}
