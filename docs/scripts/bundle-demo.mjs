// Puts the browser demo beside the documentation: builds `apps/demo`'s static page with its own
// Vite config and copies it into the built site's `demo/` folder, so the site's "Browser demo"
// links (`/demo/`) lead to a page that trains, and the demo's `../` link leads back.
// Runs after `vitepress build` (which empties `.vitepress/dist`).
import { spawnSync } from 'node:child_process';
import { cp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const demoRoot = join(docsRoot, '..', 'apps', 'demo');
const demoBuild = join(demoRoot, 'dist', 'web');
const target = join(docsRoot, '.vitepress', 'dist', 'demo');

const vite = join(demoRoot, 'node_modules', '.bin', 'vite');
const built = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: demoRoot, stdio: 'inherit' });
if (built.status !== 0) {
  throw new Error(`bundle-demo: the demo's build (${vite} build in ${demoRoot}) failed`);
}
await stat(join(demoBuild, 'index.html'));
await rm(target, { recursive: true, force: true });
await cp(demoBuild, target, { recursive: true });
console.log(`bundle-demo: the browser demo is served at /demo/ (${target})`);
