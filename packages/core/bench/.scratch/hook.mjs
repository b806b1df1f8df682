import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (parent.includes('/@tensorflow/tfjs-core/dist/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    const candidate = new URL(`${specifier}.js`, parent);
    if (existsSync(fileURLToPath(candidate))) return nextResolve(`${specifier}.js`, context);
    const index = new URL(`${specifier}/index.js`, parent);
    if (existsSync(fileURLToPath(index))) return nextResolve(`${specifier}/index.js`, context);
  }
  return nextResolve(specifier, context);
}
