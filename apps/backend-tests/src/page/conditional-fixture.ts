// A small training setup every backend test can run: a 2-layer causal decoder, LoRA's conditional
// LM objective and a trainer, with windows of seeded prompt → completion pairs.
import { createRng, type RandomSource } from '@lm-objectives/core';
import {
  type ConditionalExample,
  type ConditionalLmBatch,
  createConditionalLmObjective,
} from '@lm-objectives/lora';
import { createCausalDecoder } from '@lm-objectives/models';
import { createTrainer } from '@lm-objectives/trainer';
import { seededIds } from './agreement-case';

const VOCABULARY = 40;

/**
 * `count` prompt → completion pairs of seeded tokens (ids 2…39), of seeded lengths, or all of
 * the longest length with `fixedLength`.
 */
function examples(seed: number, count: number, fixedLength: boolean): ConditionalExample[] {
  const random = createRng(seed);
  const ids = (length: number, idSeed: number) =>
    Array.from(seededIds(length, idSeed, VOCABULARY - 2), (id) => id + 2);
  return Array.from({ length: count }, (_, row) => ({
    prompt: ids(fixedLength ? 6 : random.int(2, 6), seed * 10 + row),
    completion: ids(fixedLength ? 5 : random.int(1, 5), seed * 20 + row),
  }));
}

/** The model, objective and trainer, and the window of each step. */
export interface ConditionalFixture {
  readonly model: ReturnType<typeof createCausalDecoder>;
  readonly trainer: ReturnType<
    typeof createTrainer<ConditionalExample, ConditionalLmBatch, unknown, string>
  >;
  /** Step `step`'s window: one micro-batch on even steps, two on odd ones. */
  window(step: number, random: RandomSource): ConditionalLmBatch[];
  dispose(): void;
}

/**
 * Builds the fixture on the active backend: gradients clipped at 0.5 (so clipping acts) and
 * AdamW with its default weight decay, from fixed seeds. `fixedLength` gives every batch the same
 * shape.
 */
export function createConditionalFixture({ fixedLength = false } = {}): ConditionalFixture {
  const model = createCausalDecoder({
    vocabularySize: VOCABULARY,
    hiddenSize: 16,
    numLayers: 2,
    numHeads: 2,
    maxPositions: 16,
    seed: 31,
  });
  const objective = createConditionalLmObjective({
    eosTokenId: 1,
    padTokenId: 0,
    vocabularySize: VOCABULARY,
  });
  const trainer = createTrainer({
    objective,
    model: {
      variables: model.variables,
      inputFields: ['inputIds', 'attentionMask', 'positionIds'],
      apply: ({ tensors }) => {
        const outputs = model.apply({
          inputIds: tensors['inputIds']!,
          attentionMask: tensors['attentionMask']!,
          positionIds: tensors['positionIds']!,
        });
        return { hiddenStates: outputs.hiddenStates, projection: outputs.projection };
      },
    },
    learningRate: 0.01,
    maxGradientNorm: 0.5,
    seed: 32,
  });
  return {
    model,
    trainer: trainer as ConditionalFixture['trainer'],
    window: (step, random) =>
      Array.from({ length: 1 + (step % 2) }, (_, micro) =>
        objective.createBatch(examples(40 + 3 * step + micro, 3, fixedLength), { random }),
      ),
    dispose: () => {
      trainer.dispose();
      objective.dispose();
      model.dispose();
    },
  };
}
