// Serves the built site (`.vitepress/dist`) on 127.0.0.1 the way a static host does (clean URLs:
// `/guide/x` → `guide/x.html`), for the browser tests.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const docsRoot = fileURLToPath(new URL('..', import.meta.url));
export const site = join(docsRoot, '.vitepress', 'dist');
export const artifacts = join(docsRoot, 'e2e', 'artifacts');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The file VitePress wrote for a clean URL: `/guide/x` → `guide/x.html`, `/api/` → `api/index.html`. */
async function resolveFile(pathname) {
  const relativePath = normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  const candidates = relativePath.endsWith('/')
    ? [join(site, relativePath, 'index.html')]
    : [
        join(site, relativePath),
        join(site, `${relativePath}.html`),
        join(site, relativePath, 'index.html'),
      ];
  for (const candidate of candidates) {
    if (!candidate.startsWith(site)) continue;
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {}
  }
  return undefined;
}

/** Starts the server; resolves to `{ origin, close() }`. */
export async function serveSite() {
  await mkdir(artifacts, { recursive: true });
  const server = createServer(async (request, response) => {
    const file = await resolveFile(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(await readFile(join(site, '404.html')));
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    response.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The clean URLs of the built pages in a folder of the site: `['/guide/cross-entropy', …]`. */
export async function sitePages(folder) {
  const entries = await readdir(join(site, folder));
  return entries
    .filter((entry) => entry.endsWith('.html'))
    .map((entry) => `/${folder}/${entry.replace(/\.html$/, '')}`)
    .sort();
}
