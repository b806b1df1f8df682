// One node:test suite per case group: every case runs on cpu (the reference) and on the backend
// under test in the same page, and must agree within the tolerance, throw nowhere and leak no
// tensor on either. The measured errors go to `e2e/artifacts/agreement-<group>-<backend>.json`
// (and the docs' backend guide quotes them).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../src/page/register-backends';
import { compareOutputs, type OutputAgreement } from './compare-outputs';
import { openTestPage, type TestPage } from './test-page';

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

/** One case's result in the artifact. */
interface CaseAgreement {
  readonly name: string;
  readonly tolerance: number;
  readonly worstRelativeError: number;
  readonly outputs: readonly OutputAgreement[];
}

/**
 * Declares the suite. `tolerance` bounds every output's error relative to its largest cpu value.
 */
export function describeAgreement(group: string, backend: BackendName, tolerance: number): void {
  // The suite function is async: it asks the page for the case names, then declares one test each.
  describe(`${group}: ${backend} agrees with cpu`, async () => {
    const testPage: TestPage = await openTestPage();
    const cases = await testPage.call('cases', group);
    const agreements: CaseAgreement[] = [];
    after(async () => {
      await testPage.close();
      await mkdir(ARTIFACTS, { recursive: true });
      await writeFile(
        `${ARTIFACTS}agreement-${group}-${backend}.json`,
        `${JSON.stringify({ group, backend, reference: 'cpu', cases: agreements }, null, 2)}\n`,
      );
    });
    cases.forEach(({ name, tolerance: ownTolerance }, index) => {
      const bound = ownTolerance ?? tolerance;
      test(name, async () => {
        const reference = await testPage.call('runCase', group, index, 'cpu');
        const actual = await testPage.call('runCase', group, index, backend);
        assert.equal(reference.error, undefined, `cpu threw: ${reference.error}`);
        assert.equal(actual.error, undefined, `${backend} threw: ${actual.error}`);
        assert.equal(reference.leakedTensors, 0, 'tensors leaked on cpu');
        assert.equal(actual.leakedTensors, 0, `tensors leaked on ${backend}`);
        const outputs = compareOutputs(actual, reference);
        const worst = Math.max(...outputs.map((output) => output.maxRelativeError));
        agreements.push({ name, tolerance: bound, worstRelativeError: worst, outputs });
        const failing = outputs.filter((output) => !(output.maxRelativeError <= bound));
        assert.deepEqual(
          failing,
          [],
          `outputs beyond ${bound} relative error on ${backend}: ${failing.map((output) => `${output.output} ${output.maxRelativeError.toExponential(2)}`).join(', ')}`,
        );
        assert.deepEqual(testPage.problems, [], 'the page reported errors');
      });
    });
  });
}
