import { createRng } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectInvalidArgument, seededNormal } from '../../test/helpers';
import { injectLoraAdapters } from '../layers/inject-lora-adapters';
import { planLayersLoraTargets } from '../layers/plan-layers-lora-targets';
import { createLoraAdapters, type LinearWeights } from './create-lora-adapters';
import { isOutputHeadName } from './lora-targets';
import { planLoraTargets } from './plan-lora-targets';

const SHAPES: Record<string, [number, number]> = {
  'layers.0.attention.query': [8, 8],
  'layers.0.attention.value': [8, 8],
  'layers.0.feedForward.intermediate': [8, 32],
  'layers.0.feedForward.output': [32, 8],
  lm_head: [8, 100],
};

describe('planLoraTargets on kernel shapes (no tensors)', () => {
  it('lists the matched linears with their shapes and r·(in + out) parameters', () => {
    const plan = planLoraTargets(SHAPES, { rank: 4, alpha: 16, targets: /feedForward/ });
    expect(plan.targets).toEqual([
      {
        name: 'layers.0.feedForward.intermediate',
        inputSize: 8,
        outputSize: 32,
        adapterParameters: 160,
      },
      { name: 'layers.0.feedForward.output', inputSize: 32, outputSize: 8, adapterParameters: 160 },
    ]);
    expect(plan.adapterParameters).toBe(320);
    expect(plan.linearParameters).toBe(64 + 64 + 256 + 256 + 800);
    expect(plan.scaling).toBe(4);
    expect(plan.skipped).toEqual([
      'layers.0.attention.query',
      'layers.0.attention.value',
      'lm_head',
    ]);
    const table = plan.format();
    expect(table).toContain('layers.0.feedForward.intermediate  [8, 32]');
    expect(table).toContain('2 of 5 linears adapted at rank 4: 320 trainable parameters');
  });

  it("selects every linear but the output head for 'all-linear' (by name, or as told)", () => {
    expect(planLoraTargets(SHAPES, { targets: 'all-linear' }).skipped).toEqual(['lm_head']);
    expect(
      planLoraTargets(SHAPES, {
        targets: 'all-linear',
        outputHeads: ['layers.0.feedForward.output'],
      }).skipped,
    ).toEqual(['layers.0.feedForward.output']);
    expect(
      ['lm_head', 'outputHead', 'classifier', 'logits', 'heads.0'].map(isOutputHeadName),
    ).toEqual([true, true, true, true, false]);
  });

  it('refuses a rank above a target’s min(in, out), as creating the adapters would', () => {
    expectInvalidArgument(
      () => planLoraTargets({ narrow: [8, 2], wide: [8, 8] }, { rank: 3, targets: 'all-linear' }),
      'planLoraTargets',
      'options.rank',
      ["'narrow'", 'at most 2', 'received 3'],
    );
    expect(planLoraTargets({ narrow: [8, 2] }, { rank: 2, targets: 'all-linear' }).rank).toBe(2);
  });

  it('refuses a pattern that matches nothing, listing the available names', () => {
    expectInvalidArgument(
      () => planLoraTargets(SHAPES, { targets: [/query/, /q_proj/] }),
      'planLoraTargets',
      'options.targets',
      ['/q_proj/', 'matched none', "'layers.0.attention.query'", "'lm_head'"],
    );
    expectInvalidArgument(
      () => planLoraTargets(SHAPES, { targets: /mlp/ }),
      'planLoraTargets',
      'options.targets',
      ['matched none', "'layers.0.feedForward.output'"],
    );
    expectInvalidArgument(() => planLoraTargets({ w: [8, 0] }), 'planLoraTargets', "linears['w']", [
      '[in, out]',
    ]);
    expectInvalidArgument(
      () => planLoraTargets(SHAPES, { targets: 'all-linear', outputHeads: ['head'] }),
      'planLoraTargets',
      'options.outputHeads',
      ["'lm_head'"],
    );
  });
});

describeEachBackend('planLoraTargets before creating adapters', () => {
  it('changes nothing, and predicts exactly what createLoraAdapters then adapts', () => {
    const random = createRng(3);
    const linears: Record<string, LinearWeights> = {};
    for (const [name, shape] of Object.entries(SHAPES)) {
      linears[name] = {
        kernel: tf.tidy(() => tf.variable(seededNormal(random, shape))),
        bias: tf.tidy(() => tf.variable(seededNormal(random, [shape[1]]))),
      };
    }
    const tensors = tf.memory().numTensors;
    const plan = planLoraTargets(linears, { rank: 2, targets: 'all-linear' });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(Object.values(linears).every(({ kernel }) => kernel.trainable)).toBe(true);
    expect(plan.linearParameters).toBe(
      Object.values(linears).reduce(
        (total, { kernel, bias }) => total + kernel.size + bias!.size,
        0,
      ),
    );
    const lora = createLoraAdapters(linears, { rank: 2, targets: 'all-linear' });
    expect([...lora.adapters.keys()]).toEqual(plan.targets.map((target) => target.name));
    expect(lora.parameterReport().adapterParameters).toBe(plan.adapterParameters);
    lora.dispose();
    for (const { kernel, bias } of Object.values(linears)) tf.dispose([kernel, bias!]);
  });

  it("plans a tf.layers model: 'all-linear' leaves out the Dense layer that produces the output", () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 12, inputShape: [5], name: 'encoder_query' }),
        tfl.layers.dense({ units: 7, name: 'encoder_mlp' }),
        tfl.layers.dense({ units: 3, name: 'scores' }),
      ],
    });
    const plan = planLayersLoraTargets(model, { rank: 2, targets: 'all-linear' });
    expect(
      plan.targets.map(({ name, inputSize, outputSize }) => [name, inputSize, outputSize]),
    ).toEqual([
      ['encoder_query', 5, 12],
      ['encoder_mlp', 12, 7],
    ]);
    expect(plan.skipped).toEqual(['scores']);
    expect(plan.adapterParameters).toBe(2 * (5 + 12) + 2 * (12 + 7));
    const injected = injectLoraAdapters(model, { rank: 2, targets: 'all-linear' });
    expect([...injected.adapters.adapters.keys()]).toEqual(['encoder_query', 'encoder_mlp']);
    expect(injected.report.adapterParameters).toBe(plan.adapterParameters);
    expectInvalidArgument(
      () => planLayersLoraTargets(model, { targets: [/attention/] }),
      'planLayersLoraTargets',
      'options.targets',
      ["'encoder_query', 'encoder_mlp', 'scores'"],
    );
    injected.model.dispose();
    model.dispose();
  });
});
