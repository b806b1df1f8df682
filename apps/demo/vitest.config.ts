import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['@lm-objectives/test-utils/setup'],
    testTimeout: 120_000,
    fileParallelism: false,
  },
});
