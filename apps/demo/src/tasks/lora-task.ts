import { createLoraAdapters, type LoraParameterReport } from '@lm-objectives/lora';
import { weightsUnchanged } from './base-weights';
import { completeOpenings } from './causal-task';
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
  steps: 100,
  batchSize: 10,
  learningRate: 3e-2,
  rank: 8,
  alpha: 16,
});

/** Options of {@link createLoraTask}: the common ones plus the pre-trained base and LoRA's own. */
export interface LoraTaskOptions extends FineTuningTaskOptions {
  /** $r$. Default 8. */ readonly rank?: number;
  /** $\alpha$ (scaling $\alpha / r$). Default 16. */
  readonly alpha?: number;
}

/** The LoRA fine-tuning task, with the checks the demo makes on it. */
export interface LoraTask extends FineTuningTask {
  readonly id: 'lora';
  /** LoRA's own count: adapter parameters versus the whole (frozen base + adapters). */
  readonly loraReport: LoraParameterReport;
}

/**
 * LoRA fine-tuning on the conditional task (the opening of an address → what comes next, see
 * `openingPairs`): rank-$r$ adapters on every linear of every block of the pre-trained decoder
 * (`createLoraAdapters` + the model's `wrapLinear` hook), trained with `@lm-objectives/lora`'s
 * completion-only objective while the base stays frozen. The evaluation batch is the task's own
 * pairs: what is measured is learning these continuations, not generalising to new addresses.
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
    description: `Rank-${settings.rank} LoRA (α = ${settings.alpha}) on all ${lora.adapters.size} linears of the frozen pre-trained decoder; completion-only loss on ${data.pairs.length} opening → continuation pairs.`,
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
    samplePredictions: () => completeOpenings(base, tokenizer, data.pairs.slice(0, 3)),
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
