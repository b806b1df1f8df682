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
 * The browser demo: its folder in the repository, whose README says how to start it
 * (`npm run demo:web`). The demo is not hosted; change this one address when it is.
 */
export const DEMO_URL = `${REPOSITORY_URL}/tree/main/apps/demo`;

/** A file or folder of the repository on its default branch. */
export function repositoryPath(path: string): string {
  return `${REPOSITORY_URL}/tree/main/${path.replace(/^\/+/, '')}`;
}
