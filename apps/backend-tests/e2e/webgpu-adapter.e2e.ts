/**
 * Headless Chromium with `--enable-unsafe-webgpu` offers a WebGPU adapter to a page served from
 * 127.0.0.1 (SwiftShader, a software adapter, on machines without a GPU, as in CI), and
 * @tensorflow/tfjs-backend-webgpu 4.22 starts on it and computes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestPage } from './test-page';

test('navigator.gpu offers an adapter, and tfjs-backend-webgpu starts on it and computes', async () => {
  const testPage = await openTestPage();
  try {
    const report = await testPage.call('describeAdapter');
    assert.ok(report.adapter, 'navigator.gpu.requestAdapter() returned no adapter');
    console.log(`WebGPU adapter: ${report.adapter.vendor} ${report.adapter.architecture}`);
    assert.equal(report.backend, 'webgpu');
    assert.equal(report.tfjsAdapter.vendor, report.adapter.vendor);
    assert.equal(report.tfjsAdapter.architecture, report.adapter.architecture);
    assert.deepEqual(report.sum, [11, 22, 33]);
    assert.deepEqual(testPage.problems, []);
  } finally {
    await testPage.close();
  }
});
