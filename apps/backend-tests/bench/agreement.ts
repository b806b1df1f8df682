/**
 * WebGPU against cpu, in figures: every agreement case of the backend tests (core ops, models
 * and updates, objectives) run on cpu and on WebGPU (SwiftShader without a GPU) in one page; per
 * case, the largest absolute and relative error of its values (losses, forward outputs) and of its
 * gradients. The e2e suites assert bounds on the same numbers; this writes them down:
 * `bench/results/agreement-webgpu-<machine>.json`. Not a test.
 *
 *   pnpm --filter @lm-objectives/backend-tests bench:agreement [-- --machine NAME]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineName } from '../../../scripts/chromium/machine-name.mjs';
import { compareOutputs, type OutputAgreement } from '../e2e/compare-outputs';
import { openTestPage } from '../e2e/test-page';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({ options: { machine: { type: 'string' } } });
const machine = values.machine ?? machineName();
const GROUPS = ['core-ops', 'models-and-updates', 'objectives'] as const;
/** A gradient output: `dX`, `dLogits`, or a variable's `d 3 layers.0.attention.query.kernel`. */
const GRADIENT = /^d( |[A-Z])/;

/** The largest absolute and relative error over some outputs (`null` when there are none). */
function worst(outputs: readonly OutputAgreement[]) {
  if (outputs.length === 0) return null;
  return {
    maxAbsoluteError: Math.max(...outputs.map((output) => output.maxAbsoluteError)),
    maxRelativeError: Math.max(...outputs.map((output) => output.maxRelativeError)),
  };
}

const testPage = await openTestPage();
const loadBefore = loadavg();
const groups: Record<string, unknown[]> = {};
try {
  for (const group of GROUPS) {
    const cases = await testPage.call('cases', group);
    groups[group] = [];
    for (const [index, { name }] of cases.entries()) {
      const reference = await testPage.call('runCase', group, index, 'cpu');
      const actual = await testPage.call('runCase', group, index, 'webgpu');
      if (reference.error ?? actual.error) {
        throw new Error(`${name}: ${reference.error ?? ''} ${actual.error ?? ''}`);
      }
      const outputs = compareOutputs(actual, reference);
      const summary = {
        name,
        values: worst(outputs.filter((output) => !GRADIENT.test(output.output))),
        gradients: worst(outputs.filter((output) => GRADIENT.test(output.output))),
        outputs,
      };
      groups[group].push(summary);
      const format = (figures: ReturnType<typeof worst>) =>
        figures
          ? `abs ${figures.maxAbsoluteError.toExponential(1)} rel ${figures.maxRelativeError.toExponential(1)}`
          : '—';
      console.log(
        `${name}\n  values ${format(summary.values)}; gradients ${format(summary.gradients)}`,
      );
    }
  }
} finally {
  await testPage.close();
}
const cpu = cpus();
await mkdir(join(here, 'results'), { recursive: true });
const output = join(here, 'results', `agreement-webgpu-${machine}.json`);
await writeFile(
  output,
  `${JSON.stringify(
    {
      benchmark: 'webgpu-cpu-agreement',
      description:
        'Largest absolute and relative (to the output’s largest cpu magnitude) error of each agreement case on WebGPU against cpu, in headless Chromium on SwiftShader; values are losses and forward outputs, gradients are every gradient output.',
      date: new Date().toISOString(),
      machine: { name: machine, cpuModel: cpu[0]?.model ?? 'unknown', logicalCores: cpu.length },
      loadAverage: { before: loadBefore, after: loadavg() },
      groups,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${output}`);
