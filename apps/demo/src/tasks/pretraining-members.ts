import { createRng, type LossObjectiveV1, type ObjectiveBatchV1 } from '@lm-objectives/core';
import type { TransformerModel } from '@lm-objectives/models';
import { explainBatch, type WindowContext } from '@lm-objectives/trainer';
import { modelParameterCounts } from './parameter-counts';
import type { TaskRuntime } from './task-runtime';

/** What {@link pretrainingMembers} needs from a pre-training task (one that owns its model). */
export interface PretrainingParts<Example, Batch extends ObjectiveBatchV1, Model> {
  readonly objective: LossObjectiveV1<Example, Batch, never, string>;
  readonly model: Model;
  readonly runtime: TaskRuntime<Batch>;
  readonly settings: { readonly steps: number; readonly seed: number };
  readonly vocabularySize: number;
  readonly nextWindow: (context: WindowContext<Example, Batch>) => Batch[];
  /** The example `explainBatch()` lays out. */
  readonly explainedExample: Example;
  /** Token id → its vocabulary entry. */
  readonly piece: (id: number) => string;
}

/**
 * The `DemoTask` members every pre-training task (BERT, GLM, causal) has in common: the trainer,
 * the counts, the batch source, the generic batch table, and a `dispose` that frees the trainer,
 * the objective's heads and the model.
 */
export function pretrainingMembers<
  Example,
  Batch extends ObjectiveBatchV1,
  Model extends TransformerModel,
>(parts: PretrainingParts<Example, Batch, Model>) {
  const { objective, model, runtime } = parts;
  return {
    objective,
    model,
    ...runtime,
    totalSteps: parts.settings.steps,
    vocabularySize: parts.vocabularySize,
    parameterCounts: modelParameterCounts(model, objective.trainableWeights()),
    nextWindow: parts.nextWindow,
    explainBatch: () =>
      explainBatch(
        objective,
        objective.createBatch([parts.explainedExample], { random: createRng(parts.settings.seed) }),
        { decode: parts.piece },
      ),
    dispose() {
      runtime.trainer.dispose();
      objective.dispose();
      model.dispose();
    },
  };
}
