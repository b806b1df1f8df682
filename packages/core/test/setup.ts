import '@lm-objectives/test-utils/setup';
