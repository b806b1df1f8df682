// A Node module-resolution hook for the benchmarks: tfjs-core's ESM files (`dist/*.js`) import
// their siblings without extensions (`./gradients`), which bundlers accept and Node's ESM loader
// does not. For relative imports from inside @tensorflow packages that fail to resolve, retry
// with `.js`, then `/index.js`.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/@tensorflow/');
    if (!fromTfjs || !specifier.startsWith('.')) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next suffix
      }
    }
    throw error;
  }
}
