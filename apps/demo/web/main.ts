// The page's entry. It sits in Vite's root (`web/`) so that the dev server can serve it by URL;
// the code lives in `src/web/` with the rest of the demo's TypeScript.
import '../src/web/main';
