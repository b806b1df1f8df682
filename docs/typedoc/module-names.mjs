// Names each entry-point module after the import specifier users write (`@lm-objectives/lora/layers`)
// instead of TypeDoc's default, a path relative to the common directory (`packages/lora/src/layers`).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Converter, ReflectionKind } from 'typedoc';

/** The nearest package.json above a file, read once per folder. */
function findPackage(file, cache) {
  let folder = dirname(file);
  while (folder !== dirname(folder)) {
    if (!cache.has(folder)) {
      try {
        cache.set(folder, JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')));
      } catch {
        cache.set(folder, undefined);
      }
    }
    const manifest = cache.get(folder);
    if (manifest) return { folder, manifest };
    folder = dirname(folder);
  }
  throw new Error(`module-names: no package.json above ${file}`);
}

/** The subpath of the package's `exports` whose source is this file (`src/node.ts` → `/node`). */
function exportSubpath(folder, file) {
  const inSource = relative(join(folder, 'src'), file).replace(/\\/g, '/');
  const stem = inSource.replace(/\.ts$/, '').replace(/(^|\/)index$/, '');
  return stem === '' ? '' : `/${stem}`;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  const manifests = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const symbol = context.getSymbolFromReflection(reflection);
    const file =
      symbol?.declarations?.[0]?.getSourceFile().fileName ?? reflection.sources?.[0]?.fullFileName;
    if (!file) return;
    const { folder, manifest } = findPackage(file, manifests);
    reflection.name = `${manifest.name}${exportSubpath(folder, file)}`;
  });
}
