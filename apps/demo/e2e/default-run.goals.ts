/**
 * The demo's goals (issue 21), enforced on a real default run: `pnpm demo` with no flags, exactly
 * as a visitor runs it (seed 1, wasm, every phase at its default steps). Every check the CLI makes
 * must pass — BERT, GLM and the causal model at least 0.5 nat below the held-out unigram loss,
 * BERT's and GLM's top-1 accuracy at least twice the most-frequent-token rate, no exact reversal
 * before fine-tuning, at least 9 of 10 after LoRA, the bases bit-identical — and the exit code is 0.
 *
 * A full run takes 1.5–3 minutes of one core, so it is not part of `pnpm test`: run it with
 * `pnpm --filter @lm-objectives/demo test:goals`.
 */
// The umbrella package registers every op's gradient (tfjs-core alone registers none in Node).
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../src/cli/run-cli';
import { LORA_MIN_EXACT_MATCHES } from '../src/tasks/goals';

test('the default run meets every goal of the demo, and the CLI says so with exit code 0', async () => {
  let printed = '';
  const report = join(mkdtempSync(join(tmpdir(), 'demo-goals-')), 'report.html');
  const outcome = await runCli(['--out', report], {
    out: (text) => {
      printed += text;
    },
    error: (text) => {
      printed += text;
    },
    progress: { write: () => true, isTTY: false },
  });
  const result = outcome.result;
  assert.ok(result, printed);
  assert.deepEqual(
    result.phases.map((phase) => phase.id),
    ['bert', 'glm', 'causal', 'lora', 'prefix'],
  );
  const failed = result.phases.flatMap((phase) =>
    phase.checks
      .filter((check) => !check.passed)
      .map((check) => `${phase.title}: ${check.name} (${check.detail})`),
  );
  assert.deepEqual(failed, [], printed);
  // The numbers behind the checks, asserted directly as well.
  for (const phase of result.phases.filter(
    (p) => p.id === 'bert' || p.id === 'glm' || p.id === 'causal',
  )) {
    assert.ok(
      phase.after.tokenLoss <= phase.baseline.unigramLoss - 0.5,
      `${phase.id}: ${phase.after.tokenLoss}`,
    );
  }
  for (const phase of result.phases.filter((p) => p.id === 'bert' || p.id === 'glm')) {
    assert.ok(
      (phase.after.accuracy ?? 0) >= 2 * phase.baseline.mostFrequentRate,
      `${phase.id}: ${phase.after.accuracy}`,
    );
  }
  const lora = result.phases.find((phase) => phase.id === 'lora')!;
  assert.equal(lora.before.exactMatches?.matched, 0);
  assert.ok((lora.after.exactMatches?.matched ?? 0) >= LORA_MIN_EXACT_MATCHES);
  assert.equal(outcome.exitCode, 0);
  assert.match(printed, /All checks passed\./);
  // The tables, samples and checks, as the CLI printed them.
  console.log(printed);
});
