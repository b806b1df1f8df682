// Cross-origin isolation for the pages that train with TensorFlow.js. With these two headers the
// page is `crossOriginIsolated`, `SharedArrayBuffer` exists, and tfjs-backend-wasm loads its
// threaded SIMD binary (its pthreads share one wasm memory). Every resource of the page must then
// be same-origin or opt in with CORP/CORS; the demo loads nothing from elsewhere.

/** The response headers that make a document cross-origin isolated. */
export const CROSS_ORIGIN_ISOLATION_HEADERS = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});

/**
 * A Vite plugin that sends {@link CROSS_ORIGIN_ISOLATION_HEADERS} from the dev server and from
 * `vite preview`, so both serve the page as a static host configured like the docs say would.
 * @returns {import('vite').Plugin}
 */
export function crossOriginIsolation() {
  /** @param {{ middlewares: { use(handler: (request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => void): void } }} server */
  const addHeaders = (server) => {
    server.middlewares.use((_request, response, next) => {
      for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) {
        response.setHeader(name, value);
      }
      next();
    });
  };
  return {
    name: 'lm-objectives:cross-origin-isolation',
    configureServer: addHeaders,
    configurePreviewServer: addHeaders,
  };
}
