// A static file server for the built test page, on 127.0.0.1 (a secure context, as WebGPU needs),
// sending the cross-origin isolation headers unless told not to (the threads test compares both).
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../../../scripts/vite/cross-origin-isolation.mjs';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** A running server: its origin and how to stop it. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** Serves `root`; `crossOriginIsolated: false` leaves the COOP/COEP headers out. */
export async function serveDirectory(
  root: string,
  { crossOriginIsolated = true }: { crossOriginIsolated?: boolean } = {},
): Promise<StaticServer> {
  const isolation = crossOriginIsolated ? CROSS_ORIGIN_ISOLATION_HEADERS : {};
  const server: Server = createServer(async (request, response) => {
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
