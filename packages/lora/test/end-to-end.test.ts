// End to end: a tiny causal Transformer is pre-trained briefly on a copy task, then LoRA
// fine-tuned with the conditional objective on a synthetic question → SQL-like query task. The
// completion loss on an evaluation batch must fall by at least a factor of 4 while every base
// weight stays bit-identical.
import { createRng, type RandomSource } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { ConditionalLmBatch } from '../src/conditional-lm/conditional-lm-batch';
import {
  type ConditionalExample,
  type ConditionalLmObjective,
  createConditionalLmObjective,
  createLoraAdapters,
  encodeLoraCheckpoint,
  saveLoraAdapters,
} from '../src/index';
import { bitIdentical, valuesOf } from './helpers';
import {
  baseLinear,
  createTinyCausalModel,
  type LinearFunction,
  type TinyCausalModel,
} from './tiny-causal-model';

// Vocabulary: 0 pad (unused), 1 EOS, 2 '?', 3 'show', 4 'from', 5 'count', 6 'SELECT', 7 'FROM',
// 8 'COUNT(*)', 9 'SEP', 10–15 six columns, 16–19 four tables.
const EOS = 1;
const [QUESTION, SHOW, FROM_WORD, COUNT_WORD, SELECT, FROM, COUNT, SEP] = [2, 3, 4, 5, 6, 7, 8, 9];
const COLUMNS = [10, 11, 12, 13, 14, 15];
const TABLES = [16, 17, 18, 19];
const VOCABULARY = 20;

/** "show <column> from <table> ?" → "SELECT <column> FROM <table>"; "count <table> ?" → "SELECT COUNT(*) FROM <table>". */
function sqlExample(random: RandomSource): ConditionalExample {
  const table = TABLES[random.int(0, TABLES.length - 1)]!;
  if (random.bernoulli(0.3))
    return { prompt: [COUNT_WORD, table, QUESTION], completion: [SELECT, COUNT, FROM, table] };
  const column = COLUMNS[random.int(0, COLUMNS.length - 1)]!;
  return {
    prompt: [SHOW, column, FROM_WORD, table, QUESTION],
    completion: [SELECT, column, FROM, table],
  };
}

/** Pre-training text: "a b c SEP a b c" over the columns and tables (teaches copying). */
function copyExample(random: RandomSource): ConditionalExample {
  const tokens = [...COLUMNS, ...TABLES];
  const length = random.int(2, 4);
  const copied = Array.from({ length }, () => tokens[random.int(0, tokens.length - 1)]!);
  return { prompt: [...copied, SEP], completion: copied };
}

function lossOf(
  model: TinyCausalModel,
  objective: ConditionalLmObjective,
  batch: ConditionalLmBatch,
  linear: LinearFunction,
): tf.Scalar {
  const result = objective.computeLoss({
    outputs: {
      hiddenStates: model.hiddenStates(batch, linear),
      projection: { weight: model.tokenEmbedding, layout: 'vocab-by-hidden' },
    },
    batch,
  });
  tf.dispose([
    result.parts.conditionalLm.sum,
    result.parts.conditionalLm.count,
    ...Object.values(result.metrics),
  ]);
  return result.loss;
}

describeEachBackend('end to end: LoRA fine-tuning of a tiny causal model on question → SQL', () => {
  it('lowers the evaluation completion loss by at least 4× while the base weights stay bit-identical', () => {
    const random = createRng(2024);
    const model = createTinyCausalModel(random.fork(), {
      vocabulary: VOCABULARY,
      hidden: 32,
      heads: 2,
      maxLength: 12,
    });
    const data = random.fork();

    // 1. Brief pre-training of every weight on the copy task (all tokens scored).
    const pretraining = createConditionalLmObjective({ eosTokenId: EOS, strategy: 'all' });
    const pretrainOptimizer = tf.train.adam(0.01);
    const plain = baseLinear(model);
    for (let step = 0; step < 60; step++) {
      const batch = pretraining.createBatch(
        Array.from({ length: 16 }, () => copyExample(data)),
        { random: data },
      );
      pretrainOptimizer.minimize(
        () => lossOf(model, pretraining, batch, plain),
        false,
        model.variables,
      );
    }
    pretrainOptimizer.dispose();

    // 2. LoRA on the attention query and value projections (the defaults), rank 4.
    const objective = createConditionalLmObjective({ eosTokenId: EOS });
    // An evaluation batch from its own random stream (the task has only 28 distinct pairs, so
    // what is measured is learning the mapping, not generalising to unseen pairs).
    const evaluationRandom = createRng(7);
    const heldOut = objective.createBatch(
      Array.from({ length: 64 }, () => sqlExample(evaluationRandom)),
      {
        random: evaluationRandom,
      },
    );
    const lora = createLoraAdapters(model.linears, {
      rank: 4,
      alpha: 8,
      dropout: 0.05,
      seed: 5,
      modelVariables: model.variables,
    });
    const report = lora.parameterReport();
    const baseBefore = model.variables.map(valuesOf);
    const evaluate = () =>
      tf.tidy(
        () => lossOf(model, objective, heldOut, (name, x) => lora.linear(name, x)).dataSync()[0]!,
      );
    const before = evaluate();
    const optimizer = tf.train.adam(0.02);
    lora.training = true;
    for (let step = 0; step < 80; step++) {
      const batch = objective.createBatch(
        Array.from({ length: 16 }, () => sqlExample(data)),
        { random: data },
      );
      // No variable list: the frozen base is skipped because it is not trainable.
      optimizer.minimize(() => lossOf(model, objective, batch, (name, x) => lora.linear(name, x)));
    }
    lora.training = false;
    optimizer.dispose();
    const after = evaluate();

    console.log(
      `[${tf.getBackend()}] evaluation completion loss ${before.toFixed(4)} → ${after.toFixed(4)} (÷${(before / after).toFixed(1)}); ` +
        `trainable ${report.trainableParameters}/${report.totalParameters} = ${(100 * report.trainableRatio).toFixed(2)} %; ` +
        `adapter ${encodeLoraCheckpoint(saveLoraAdapters(lora)).byteLength} B vs model ${report.baseBytes} B`,
    );
    expect(before / after).toBeGreaterThanOrEqual(4);
    model.variables.forEach((variable, index) => {
      expect(bitIdentical(valuesOf(variable), baseBefore[index]!), variable.name).toBe(true);
    });
    expect(report.trainableParameters).toBe(2 * 4 * (32 + 32));

    // Merging gives the same held-out loss as the unmerged adapters.
    lora.merge();
    const merged = tf.tidy(() => lossOf(model, objective, heldOut, plain).dataSync()[0]!);
    expect(Math.abs(merged - after)).toBeLessThan(1e-4);
    lora.unmerge();
    lora.dispose();
    model.dispose();
  });
});
