// The one Node module-resolution hook every package's benchmarks register (with
// `module.register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url)`):
// TensorFlow.js's ESM files (`dist/*.js`) import their siblings without extensions
// (`./gradients`), which bundlers accept and Node's ESM loader does not. For such relative imports
// from inside an @tensorflow package, resolve `<specifier>.js` or `<specifier>/index.js`, whichever
// exists. (vitest's resolver needs none of this.)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (parent.includes('/@tensorflow/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      if (existsSync(fileURLToPath(new URL(candidate, parent)))) {
        return nextResolve(candidate, context);
      }
    }
  }
  return nextResolve(specifier, context);
}
