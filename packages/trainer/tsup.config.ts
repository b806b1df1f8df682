import { defineConfig } from 'tsup';

export default defineConfig({
  // `node` is a separate entry so that browser bundles never reach `node:fs` or the terminal reporter.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@lm-objectives\//, 'picocolors'],
});
