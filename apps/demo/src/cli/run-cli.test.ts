// The CLI code path end to end (a smoke test of every phase), and determinism under a seed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliStreams, runCli } from './run-cli';

function capture(): CliStreams & { text: () => string; errors: () => string } {
  let out = '';
  let error = '';
  return {
    out: (text) => {
      out += text;
    },
    error: (text) => {
      error += text;
    },
    progress: {
      write: (text: string) => {
        out += text;
      },
      isTTY: false,
    },
    text: () => out,
    errors: () => error,
  };
}

const reportFolder = mkdtempSync(join(tmpdir(), 'demo-cli-'));

describe('the demo CLI', () => {
  // The CLI selects wasm itself; selecting it first lets the test count tensors before the run.
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('runs two steps of every objective on wasm, prints both tables and writes the report', async () => {
    const streams = capture();
    const report = join(reportFolder, 'smoke.html');
    const tensorsBefore = tf.memory().numTensors;
    const outcome = await runCli(['--steps', '2', '--out', report], streams);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const result = outcome.result!;
    expect(result.backend).toBe('wasm');
    expect(result.phases.map((phase) => [phase.id, phase.start])).toEqual([
      ['bert', 'pre-trained'],
      ['glm', 'pre-trained'],
      ['causal', 'scratch'],
      ['lora', 'checkpoint'],
      ['prefix', 'checkpoint'],
    ]);
    for (const phase of result.phases) {
      expect(phase.steps).toBe(2);
      expect(phase.trainingLosses).toHaveLength(2);
      expect(Number.isFinite(phase.after.loss)).toBe(true);
      expect(phase.baseline.unigramLoss).toBeLessThan(phase.baseline.uniformLoss);
      expect(phase.samplesAfter.length).toBeGreaterThan(0);
    }
    expect(result.phases.map((phase) => phase.checks.map((check) => check.name))).toEqual([
      ['held-out loss ≤ unigram − 0.5', 'held-out accuracy ≥ 2 × most-frequent-token rate'],
      ['held-out loss ≤ unigram − 0.5', 'held-out accuracy ≥ 2 × most-frequent-token rate'],
      ['held-out loss ≤ unigram − 0.5'],
      [
        'no exact completion before training',
        '≥ 9 exact completions after training',
        'trainable < 10% of parameters',
        'base weights bit-identical',
      ],
      [
        'no exact completion before training',
        'held-out loss ≤ 0.5 × initial',
        'base weights bit-identical',
      ],
    ]);
    // Two steps are too few for the learning goals, but never for the structural checks: the
    // shipped base cannot reverse the prompts before fine-tuning, and stays frozen.
    const structural = result.phases.flatMap((phase) =>
      phase.checks.filter((check) => /^(no exact|trainable|base weights)/.test(check.name)),
    );
    expect(structural).toHaveLength(5);
    expect(structural.every((check) => check.passed)).toBe(true);
    expect(outcome.exitCode).toBe(result.passed ? 0 : 1);
    expect(outcome.reportPath).toBe(report);
    expect(readFileSync(report, 'utf8').match(/<svg /g)).toHaveLength(5);
    const text = streams.text();
    expect(text).toContain('Pre-training, measured on held-out text');
    expect(text).toContain('| below unigram |');
    expect(text).toContain('Fine-tuning the frozen causal model');
    expect(text).toContain('| shipped causal checkpoint |');
    expect(text).toContain(`Report: ${report}`);
  }, 600_000);

  it('with --from-scratch, pre-trains the causal model first and fine-tunes it instead of the checkpoint', async () => {
    const outcome = await runCli(
      [
        '--objective',
        'lora',
        '--from-scratch',
        '--steps',
        '2',
        '--out',
        join(reportFolder, 'scratch.html'),
      ],
      capture(),
    );
    expect(outcome.result!.phases.map((phase) => [phase.id, phase.start])).toEqual([
      ['causal', 'scratch'],
      ['lora', 'this run'],
    ]);
  }, 300_000);

  it('gives identical losses for the same seed and different ones for another seed', async () => {
    const losses = async (seed: number) => {
      const outcome = await runCli(
        [
          '--objective',
          'glm',
          '--steps',
          '3',
          '--seed',
          String(seed),
          '--out',
          join(reportFolder, `${seed}.html`),
        ],
        capture(),
      );
      const [phase] = outcome.result!.phases;
      return [...phase!.trainingLosses, phase!.before.loss, phase!.after.loss];
    };
    const first = await losses(4);
    expect(await losses(4)).toEqual(first);
    expect(await losses(5)).not.toEqual(first);
  });

  it('prints the usage for --help and a usage error with the fix for a bad flag, without training', async () => {
    const help = capture();
    expect((await runCli(['--help'], help)).exitCode).toBe(0);
    expect(help.text()).toContain('--objective <name>');
    const bad = capture();
    const outcome = await runCli(
      ['--objective', 'gpt', '--out', join(reportFolder, 'never.html')],
      bad,
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.result).toBeUndefined();
    expect(bad.errors()).toContain(
      '--objective expects one of all, bert, glm, causal, lora, prefix',
    );
    expect(existsSync(join(reportFolder, 'never.html'))).toBe(false);
  });
});
