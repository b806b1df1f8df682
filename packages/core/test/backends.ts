// The shared helpers live in the private @lm-objectives/test-utils package; this path keeps the
// suites' imports short.
export * from '@lm-objectives/test-utils';
