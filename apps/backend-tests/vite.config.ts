import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { tfjsThreadedWasm } from '../../scripts/vite/tfjs-threaded-wasm.mjs';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: './',
  plugins: [tfjsThreadedWasm()],
  resolve: { dedupe: ['@tensorflow/tfjs-core'] },
  // Workers are bundled by their own plugin pipeline: TensorFlow.js runs in them.
  worker: { format: 'es', plugins: () => [tfjsThreadedWasm()] },
  server: { fs: { allow: [repositoryRoot] } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8192,
    rollupOptions: {
      input: {
        index: `${webRoot}/index.html`,
        scratch: `${webRoot}/scratch.html`,
        scratch2: `${webRoot}/scratch2.html`,
        scratch3: `${webRoot}/scratch3.html`,
      },
    },
  },
});
