// The static file server of the browser tests and benchmarks (demo, backend tests): serves a
// built site on 127.0.0.1 (a secure context, as WebGPU needs) at a free port, with `.wasm` as
// `application/wasm` (streaming compilation) and, unless told not to, the cross-origin isolation
// headers, so that tfjs-backend-wasm can run threaded as on a well-configured host.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../vite/cross-origin-isolation.mjs';

/** @type {Readonly<Record<string, string>>} */
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/**
 * Serves `root`; resolves with the origin and a `close`.
 * @param {string} root
 * @param {{ crossOriginIsolated?: boolean }} [options] `crossOriginIsolated: false` leaves COOP/COEP out.
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function serveDirectory(root, { crossOriginIsolated = true } = {}) {
  const isolation = crossOriginIsolated ? CROSS_ORIGIN_ISOLATION_HEADERS : {};
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const relative = normalize(path === '/' ? 'index.html' : path.slice(1));
    if (relative.startsWith('..')) {
      response.writeHead(403).end();
      return;
    }
    const file = join(root, relative);
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        ...isolation,
      });
      response.end(body);
    } catch {
      response.writeHead(404, isolation).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
