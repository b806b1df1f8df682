// Node's ESM loader refuses the extensionless and directory imports inside
// `@tensorflow/tfjs-core/dist/*.js` (written for bundlers). This resolve hook completes them, so
// that a Node script can import `@tensorflow/tfjs-core/dist/register_all_gradients.js` (tfjs-core
// alone registers no gradients in Node). Both copies of tfjs-core share one global kernel and
// gradient registry, so the registration reaches the copy the script uses.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (
    parent.includes('/@tensorflow/tfjs-core/dist/') &&
    specifier.startsWith('.') &&
    !specifier.endsWith('.js')
  ) {
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      if (existsSync(fileURLToPath(new URL(candidate, parent)))) {
        return nextResolve(candidate, context);
      }
    }
  }
  return nextResolve(specifier, context);
}
