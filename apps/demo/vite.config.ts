// The browser demo's build. The page lives in `web/` and its code in `src/web/`; training runs in
// a module Web Worker. The wasm binaries of `@tensorflow/tfjs-backend-wasm` are imported with
// `?url` by the worker, so Vite copies them into the build and hands their hashed URLs to
// `setWasmPaths`: nothing is fetched from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: webRoot,
  // Relative asset URLs: the build also works from a sub-path or a plain static file server.
  base: './',
  resolve: {
    // One tfjs-core for every workspace package: two copies would each keep their own backend
    // and kernel registry.
    dedupe: ['@tensorflow/tfjs-core'],
  },
  worker: { format: 'es' },
  server: { fs: { allow: [repositoryRoot] } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // TensorFlow.js (with its cpu, webgl and wasm backends) is one large worker chunk by design.
    chunkSizeWarningLimit: 4096,
  },
});
