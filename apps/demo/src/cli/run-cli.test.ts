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

  it('runs two steps of every objective on wasm, prints the table and writes the report', async () => {
    const streams = capture();
    const report = join(reportFolder, 'smoke.html');
    const tensorsBefore = tf.memory().numTensors;
    const outcome = await runCli(['--steps', '2', '--out', report], streams);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const result = outcome.result!;
    expect(result.backend).toBe('wasm');
    expect(result.phases.map((phase) => phase.id)).toEqual([
      'bert',
      'glm',
      'causal',
      'lora',
      'prefix',
    ]);
    for (const phase of result.phases) {
      expect(phase.steps).toBe(2);
      expect(phase.trainingLosses).toHaveLength(2);
      expect(Number.isFinite(phase.finalLoss)).toBe(true);
      expect(phase.samplesAfter.length).toBeGreaterThan(0);
    }
    // Two steps are too few for the loss thresholds, but never for the structural checks.
    const structural = result.phases.flatMap((phase) =>
      phase.checks.filter((check) => !check.name.startsWith('final')),
    );
    expect(structural.map((check) => check.name)).toEqual([
      'trainable < 10% of parameters',
      'base weights bit-identical',
      'base weights bit-identical',
    ]);
    expect(structural.every((check) => check.passed)).toBe(true);
    expect(outcome.exitCode).toBe(result.passed ? 0 : 1);
    expect(outcome.reportPath).toBe(report);
    expect(readFileSync(report, 'utf8').match(/<svg /g)).toHaveLength(5);
    const text = streams.text();
    expect(text).toContain('| objective ');
    expect(text).toContain('LoRA vs prefix tuning');
    expect(text).toContain(`Report: ${report}`);
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
      return [...phase!.trainingLosses, phase!.initialLoss, phase!.finalLoss];
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
    expect(bad.errors()).toContain('--objective expects one of all, bert, glm, lora, prefix');
    expect(existsSync(join(reportFolder, 'never.html'))).toBe(false);
  });
});
