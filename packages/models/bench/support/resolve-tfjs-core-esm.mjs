// A Node resolution hook for the benchmark process only. The gradients of tfjs-core's ops ship only
// as ES modules (`dist/register_all_gradients.js`) whose relative imports omit the `.js` extension,
// which Node's ES resolver refuses (bundlers and vitest accept them). Inside tfjs-core's `dist`,
// this hook retries such a specifier as `<specifier>.js`, then `<specifier>/index.js`. Kernel and
// gradient registries live on globalThis, so the CommonJS copy of tfjs-core sees the gradients too.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, nextResolve) {
  const fromDist = (context.parentURL ?? '').includes(DIST);
  if (fromDist && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    const found = [`${specifier}.js`, `${specifier}/index.js`].find((candidate) =>
      existsSync(fileURLToPath(new URL(candidate, context.parentURL))),
    );
    if (found) return nextResolve(found, context);
  }
  return nextResolve(specifier, context);
}
