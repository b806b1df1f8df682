import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['@lm-objectives/test-utils/setup'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One process at a time: the wasm heap is large and the machine has two cores.
    fileParallelism: false,
  },
});
