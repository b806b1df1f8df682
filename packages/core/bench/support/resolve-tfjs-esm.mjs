// Node module-resolution hook for the benchmarks only. `@tensorflow/tfjs-core` registers no
// gradients in Node: its CommonJS bundle lacks them, and its ES-module files
// (`dist/register_all_gradients.js` and what it imports) use extensionless relative imports that
// Node's resolver rejects (`./gradients` is both a file and a folder there). This hook resolves
// such imports inside `tfjs-core/dist` to the `.js` file (or the folder's `index.js`), which is
// what bundlers and vitest do. Registries live on `globalThis`, so the gradients registered this
// way serve the CommonJS copy that `import '@tensorflow/tfjs-core'` loads.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TFJS_CORE_DIST = '/@tensorflow/tfjs-core/dist/';

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL ?? '';
  if (parent.includes(TFJS_CORE_DIST) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    for (const candidate of [`${specifier}.js`, `${specifier}/index.js`]) {
      if (existsSync(fileURLToPath(new URL(candidate, parent))))
        return nextResolve(candidate, context);
    }
  }
  return nextResolve(specifier, context);
}
