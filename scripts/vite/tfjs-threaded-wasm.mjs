// A Vite plugin that keeps tfjs-backend-wasm's threaded binary working after minification.
//
// tfjs-backend-wasm 4.22 starts its pthread workers from a Blob built out of
// `wasmFactoryThreadedSimd.toString()`: the Emscripten factory function is re-evaluated, as source
// text, inside each worker. That function reads one variable of its enclosing closure,
// `_scriptDir`, always behind a `typeof _scriptDir !== "undefined"` guard. Vite's minifier sees
// that the variable is declared in the enclosing scope, drops the guard and renames it (`e`), so
// every worker throws "ReferenceError: e is not defined" and the backend never finishes
// initialising. In a browser `_scriptDir` is always undefined for module code (there is no
// `document.currentScript`), so this plugin removes the two reads from the factory's source
// before minification: the factory no longer depends on its closure, and behaves the same.

const FACTORY_MODULE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;

/** The two closure reads of the factory, and what each becomes. */
const REWRITES = [
  ['if(typeof _scriptDir !== "undefined" && _scriptDir){scriptDirectory=_scriptDir}', ''],
  [
    '"urlOrBlob":Module["mainScriptUrlOrBlob"]||_scriptDir',
    '"urlOrBlob":Module["mainScriptUrlOrBlob"]',
  ],
];

/**
 * The plugin. List it in `plugins` and in `worker.plugins` (Vite bundles workers with their own
 * plugin pipeline, and TensorFlow.js usually runs in a worker). It fails the build, naming the text it expected, if the factory's source changed
 * (a tfjs update): the threaded backend would otherwise break silently again.
 * @returns {import('vite').Plugin}
 */
export function tfjsThreadedWasm() {
  return {
    name: 'lm-objectives:tfjs-threaded-wasm',
    enforce: 'pre',
    transform(code, id) {
      if (!FACTORY_MODULE.test(id.split('?')[0] ?? id)) return null;
      let patched = code;
      for (const [from, to] of REWRITES) {
        if (!patched.includes(from)) {
          this.error(
            `tfjsThreadedWasm: expected to find ${JSON.stringify(from)} in ${id}. The tfjs-backend-wasm version changed: check whether its threaded factory still reads \`_scriptDir\` from its closure, and update scripts/vite/tfjs-threaded-wasm.mjs.`,
          );
        }
        patched = patched.replace(from, to);
      }
      return { code: patched, map: null };
    },
  };
}
