// Node's ES module loader refuses tfjs-core's extension-less relative imports
// (`./gradients`), which `register_all_gradients.js` uses. This resolve hook adds `.js` or
// `/index.js` to them, for the benchmarks only (vitest resolves them by itself).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (
    parent.includes('/@tensorflow/tfjs-core/dist/') &&
    specifier.startsWith('.') &&
    !specifier.endsWith('.js')
  ) {
    for (const suffix of ['.js', '/index.js']) {
      if (existsSync(fileURLToPath(new URL(`${specifier}${suffix}`, parent)))) {
        return nextResolve(`${specifier}${suffix}`, context);
      }
    }
  }
  return nextResolve(specifier, context);
}
