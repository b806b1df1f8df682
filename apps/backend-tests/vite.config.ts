// The backend test page's build (`web/index.html` → `dist/web`). TensorFlow.js with its cpu,
// WebGL, WebGPU and wasm backends runs on the page itself; the wasm binaries are copied into the
// build. The worker plugin list is for completeness: a library under test may start workers.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { tfjsThreadedWasm } from '../../scripts/vite/tfjs-threaded-wasm.mjs';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: './',
  plugins: [tfjsThreadedWasm()],
  // One tfjs-core for every workspace package: two copies would each keep their own backends.
  resolve: { dedupe: ['@tensorflow/tfjs-core'] },
  worker: { format: 'es', plugins: () => [tfjsThreadedWasm()] },
  server: { fs: { allow: [repositoryRoot] } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // TensorFlow.js with four backends and every package is one large chunk by design.
    chunkSizeWarningLimit: 8192,
  },
});
