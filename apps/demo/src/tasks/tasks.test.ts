import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { createBertTask } from './bert-task';
import { createCausalTask } from './causal-task';
import type { DemoTask, TaskEvaluation } from './demo-task';
import { createGlmTask } from './glm-task';
import { createLoraTask } from './lora-task';
import { createPrefixTask } from './prefix-task';
import { tinyTaskOptions } from './test-fixtures';

/** Trains the task's steps and checks what every task promises. */
async function exerciseTask<Batch extends ObjectiveBatchV1>(
  task: DemoTask<Batch>,
): Promise<{ before: TaskEvaluation; after: TaskEvaluation }> {
  const before = task.evaluate();
  const losses: number[] = [];
  const summary = await task.train({ onProgress: ({ loss }) => void losses.push(loss) });
  const after = task.evaluate();
  expect(summary.stepsRun).toBe(task.totalSteps);
  expect(losses).toHaveLength(task.totalSteps);
  for (const loss of [before.loss, after.loss, before.tokenLoss, ...losses])
    expect(Number.isFinite(loss)).toBe(true);
  // A fresh model scores about ln V per token on its held-out batch, above the unigram loss.
  const { uniformLoss, unigramLoss, mostFrequentRate } = task.baseline;
  expect(uniformLoss).toBeCloseTo(Math.log(task.vocabularySize), 12);
  expect(before.tokenLoss).toBeGreaterThan(uniformLoss - 1);
  expect(before.tokenLoss).toBeLessThan(uniformLoss + 1.5);
  expect(unigramLoss).toBeGreaterThan(0);
  expect(unigramLoss).toBeLessThan(uniformLoss);
  expect(mostFrequentRate).toBeGreaterThan(0);
  expect(mostFrequentRate).toBeLessThan(1);
  if (task.id === 'lora' || task.id === 'prefix') {
    // Fine-tuning is measured by exact completions of the 10 held-out prompts.
    expect(after.exactMatches?.total).toBe(10);
    expect(after.accuracy).toBeUndefined();
  } else {
    expect(after.accuracy).toBeGreaterThanOrEqual(0);
    expect(after.accuracy).toBeLessThanOrEqual(1);
    expect(after.exactMatches).toBeUndefined();
  }
  expect(task.parameterCounts.trainable).toBeGreaterThan(0);
  expect(task.parameterCounts.trainable).toBeLessThanOrEqual(task.parameterCounts.total);
  const samples = task.samplePredictions();
  expect(samples.length).toBeGreaterThan(0);
  for (const sample of samples) expect(sample.expected.length).toBeGreaterThan(0);
  expect(task.explainBatch().rows).toHaveLength(1);
  return { before, after };
}

describeEachBackend('demo tasks', () => {
  it('BERT trains, and its explanation shows what the masker did to each token', async () => {
    const task = createBertTask(tinyTaskOptions());
    await exerciseTask(task);
    const explanation = task.explain();
    expect(explanation.kind).toBe('bert');
    if (explanation.kind !== 'bert') return;
    const { tokens, originalTokens, actions, tokenTypeIds } = explanation;
    expect(tokens[0]).toBe('[CLS]');
    expect(tokens.at(-1)).toBe('[SEP]');
    expect([originalTokens.length, actions.length, tokenTypeIds.length]).toEqual([
      tokens.length,
      tokens.length,
      tokens.length,
    ]);
    expect(actions.some((action) => action !== 'none')).toBe(true);
    tokens.forEach((token, index) => {
      if (actions[index] === 'masked') expect(token).toBe('[MASK]');
      if (actions[index] === 'none' || actions[index] === 'kept')
        expect(token).toBe(originalTokens[index]);
    });
    // Segment 0 up to the first [SEP], 1 after it.
    const firstSeparator = tokens.indexOf('[SEP]');
    expect(tokenTypeIds.slice(0, firstSeparator + 1).every((segment) => segment === 0)).toBe(true);
    expect(tokenTypeIds.slice(firstSeparator + 1).every((segment) => segment === 1)).toBe(true);
    task.dispose();
  });

  it('GLM trains, and its explanation lays out Part A, Part B, both position rows and the mask', async () => {
    const task = createGlmTask(tinyTaskOptions());
    await exerciseTask(task);
    const explanation = task.explain();
    expect(explanation.kind).toBe('glm');
    if (explanation.kind !== 'glm') return;
    const { partA, partB, tokens, positionIds, blockPositionIds, separator, attentionMask } =
      explanation;
    expect(partA).toHaveLength(separator);
    expect(tokens).toEqual([...partA, ...partB.flatMap((blank) => blank.inputTokens)]);
    expect(positionIds).toHaveLength(tokens.length);
    expect(blockPositionIds.slice(0, separator).every((position) => position === 0)).toBe(true);
    for (const blank of partB) {
      const span = explanation.textTokens.slice(blank.start, blank.end);
      expect(blank.inputTokens[0]).toBe('[sop]');
      expect(blank.inputTokens.slice(1)).toEqual(span.slice(0, blank.inputTokens.length - 1));
      expect(blank.targetTokens.slice(0, span.length)).toEqual(span);
    }
    const expectedMask = attentionMask.map((row, query) =>
      row.map((_, key) => key < separator || key <= query),
    );
    expect(attentionMask).toEqual(expectedMask);
    task.dispose();
  });

  it('LoRA trains a few percent of the parameters, leaves the base bit-identical and unwraps it on dispose', async () => {
    const causal = createCausalTask(tinyTaskOptions());
    await exerciseTask(causal);
    const probe = tf.tensor2d([[11, 12, 13, 14]], [1, 4], 'int32');
    const baseOutput = tf.tidy(() => causal.model.apply({ inputIds: probe }).hiddenStates);
    const lora = createLoraTask({ ...tinyTaskOptions(), base: causal.model });
    await exerciseTask(lora);
    expect(lora.baseWeightsUnchanged()).toBe(true);
    expect(lora.parameterCounts.trainable / lora.parameterCounts.total).toBeLessThan(0.1);
    const explanation = lora.explain();
    expect(explanation.kind).toBe('conditional');
    if (explanation.kind === 'conditional') {
      // Completion-only: exactly the completion (and its [EOS]) is scored.
      expect(explanation.lossMask).toEqual(
        explanation.roles.map((role) => (role === 'completion' ? 1 : 0)),
      );
      expect(explanation.tokens.at(-1)).toBe('[EOS]');
    }
    lora.dispose();
    // Without its adapters the base computes exactly what it did before fine-tuning.
    const unwrapped = tf.tidy(() => causal.model.apply({ inputIds: probe }).hiddenStates);
    expect(Array.from(unwrapped.dataSync())).toEqual(Array.from(baseOutput.dataSync()));
    expect(causal.model.variables.every((variable) => variable.trainable)).toBe(true);
    tf.dispose([probe, baseOutput, unwrapped]);
    causal.dispose();
  });

  it('prefix tuning trains only the prefix on the same task and leaves the base bit-identical', async () => {
    // Two blocks: the prefix is checked per layer.
    const options = { ...tinyTaskOptions(), numLayers: 2 };
    const causal = createCausalTask(options);
    const prefix = createPrefixTask({ ...options, base: causal.model });
    await exerciseTask(prefix);
    expect(prefix.baseWeightsUnchanged()).toBe(true);
    expect(prefix.exportedParameters).toBe(8 * 2 * 2 * 16); // P · L · 2H
    const explanation = prefix.explain();
    expect(explanation.kind === 'conditional' && explanation.virtualTokens).toBe(8);
    prefix.dispose();
    causal.dispose();
  });

  it('trains on past the schedule with untilStep ("keep training")', async () => {
    const task = createCausalTask(tinyTaskOptions());
    await task.train();
    const summary = await task.train({ untilStep: task.totalSteps + 3 });
    expect(summary.stepsRun).toBe(3);
    expect(task.trainer.step).toBe(task.totalSteps + 3);
    task.dispose();
  });

  it('the same seed gives the same losses step by step, another seed other ones', async () => {
    const losses = async (seed: number) => {
      const task = createGlmTask(tinyTaskOptions(seed));
      const result = [task.step().loss, task.step().loss];
      task.dispose();
      return result;
    };
    const first = await losses(5);
    expect(await losses(5)).toEqual(first);
    expect(await losses(6)).not.toEqual(first);
  });
});
