import { defineConfig } from 'tsup';

export default defineConfig({
  // Two entry points: the tf.layers integration lives apart so that users of hand-written models
  // never load @tensorflow/tfjs-layers.
  entry: { index: 'src/index.ts', layers: 'src/layers/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@lm-objectives\//],
});
