/**
 * GPU memory over a long run on WebGPU: 60 steps of `trainer.train` (probe, asynchronous
 * read-back, an evaluation every 10 steps) must keep the number of tensors and the bytes of live
 * GPU tensors constant from step to step, and give every tensor and GPU byte back when the model,
 * objective and trainer are disposed. With batches of one shape, tfjs-webgpu's buffer pool (it
 * keeps freed buffers by byte size for reuse) must stop growing once it covers a step; with
 * batches of varying shapes it grows by a set of buffers per new shape, which is reported.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestPage, type TestPage } from './test-page';

const STEPS = 60;
let testPage: TestPage;

before(async () => {
  testPage = await openTestPage();
  // A short run first: the backend probe's profile makes tfjs-webgpu create its timestamp-query
  // buffer (16 bytes, kept for the backend's lifetime), which is not a leak of the run.
  await testPage.call('memoryRun', 'webgpu', 2, true);
});

after(async () => {
  await testPage?.close();
});

test('a 60-step WebGPU run keeps tensors and GPU bytes flat and frees everything at the end', async () => {
  const report = await testPage.call('memoryRun', 'webgpu', STEPS, true);
  assert.equal(report.steps.length, STEPS);
  const first = report.steps[0]!;
  for (const [index, reading] of report.steps.entries()) {
    assert.equal(reading.numTensors, first.numTensors, `tensors after step ${index + 1}`);
    assert.equal(reading.numBytesInGPU, first.numBytesInGPU, `GPU bytes after step ${index + 1}`);
  }
  // The pool may grow while it sees the kernels of a step (windows alternate between one and two
  // micro-batches, and evaluations come every 10 steps); over the second half it must not.
  const half = report.steps[STEPS / 2 - 1]!.numBytesAllocatedInGPU!;
  const last = report.steps[STEPS - 1]!.numBytesAllocatedInGPU!;
  assert.ok(half > 0, 'tfjs-webgpu reports numBytesAllocatedInGPU');
  assert.equal(last, half, 'GPU buffers allocated over the second half of the run');
  assert.equal(report.after.numTensors, report.before.numTensors, 'tensors left after dispose');
  assert.equal(
    report.after.numBytesInGPU,
    report.before.numBytesInGPU,
    'GPU bytes left after dispose',
  );
  assert.deepEqual(testPage.problems, [], 'the page reported errors');
});

test('with batches of varying shapes the live GPU bytes stay flat too (only the pool grows)', async () => {
  const report = await testPage.call('memoryRun', 'webgpu', 30, false);
  const first = report.steps[0]!;
  for (const [index, reading] of report.steps.entries()) {
    assert.equal(reading.numTensors, first.numTensors, `tensors after step ${index + 1}`);
  }
  assert.equal(report.after.numTensors, report.before.numTensors, 'tensors left after dispose');
  assert.equal(
    report.after.numBytesInGPU,
    report.before.numBytesInGPU,
    'GPU bytes left after dispose',
  );
  const allocated = report.steps.map((reading) => reading.numBytesAllocatedInGPU ?? 0);
  console.log(
    `tfjs-webgpu buffer pool with varying shapes: ${allocated[0]} bytes after step 1, ${allocated[allocated.length - 1]} after step ${allocated.length}`,
  );
});
