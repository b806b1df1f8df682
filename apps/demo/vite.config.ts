// The browser demo's build. The page lives in `web/` and its code in `src/web/`; training runs in
// a module Web Worker. The wasm binaries of `@tensorflow/tfjs-backend-wasm` are imported with
// `?url` by the worker, so Vite copies them into the build and hands their hashed URLs to
// `setWasmPaths`: nothing is fetched from a CDN. The dev server and the preview send the
// cross-origin isolation headers, so that wasm runs threaded; `bench.html` is the backend benchmark.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { crossOriginIsolation } from '../../scripts/vite/cross-origin-isolation.mjs';
import { tfjsThreadedWasm } from '../../scripts/vite/tfjs-threaded-wasm.mjs';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Relative asset URLs: the build also works from a sub-path or a plain static file server.
  base: './',
  plugins: [crossOriginIsolation(), tfjsThreadedWasm()],
  resolve: {
    // One tfjs-core for every workspace package: two copies would each keep their own backend
    // and kernel registry.
    dedupe: ['@tensorflow/tfjs-core'],
  },
  // Workers are bundled by their own plugin pipeline: TensorFlow.js runs in them.
  worker: { format: 'es', plugins: () => [tfjsThreadedWasm()] },
  server: { fs: { allow: [repositoryRoot] } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // TensorFlow.js (with its cpu, webgl and wasm backends) is one large worker chunk by design.
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { index: `${webRoot}/index.html`, bench: `${webRoot}/bench.html` },
    },
  },
});
