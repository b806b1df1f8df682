// The addresses the site links to outside itself, configured once: the repository (from the root
// package.json's `repository` field) and the browser demo.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface RootManifest {
  readonly repository?: string | { readonly url?: string };
}

/** `git+https://github.com/o/r.git` → `https://github.com/o/r`. */
export function repositoryWebAddress(repository: RootManifest['repository']): string {
  const url = typeof repository === 'string' ? repository : repository?.url;
  if (!url) throw new Error('site-links: the root package.json has no repository URL');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
}

const rootManifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
) as RootManifest;

/** The repository on the web. */
export const REPOSITORY_URL = repositoryWebAddress(rootManifest.repository);

/**
 * The browser demo: the docs build copies its static build into the site's `demo/` folder
 * (scripts/bundle-demo.mjs), so it is served beside these pages and links back with `../`.
 * `DEMO_URL` at build time points elsewhere (e.g. a separately hosted demo).
 */
export const DEMO_URL = process.env['DEMO_URL'] ?? '/demo/';

/** A file or folder of the repository on its default branch. */
export function repositoryPath(path: string): string {
  return `${REPOSITORY_URL}/tree/main/${path.replace(/^\/+/, '')}`;
}
