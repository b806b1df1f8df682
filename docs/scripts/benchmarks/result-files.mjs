// Finds the committed benchmark results: every `<area>/<name>/bench/results/*.json` of the
// repository (`packages/core/…`, `apps/backend-tests/…`), each with the workspace package it
// belongs to, so that new result files are picked up without touching the docs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const docsRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repositoryRoot = join(docsRoot, '..');

/** Folders of the repository that hold workspace packages. */
const AREAS = ['packages', 'apps', 'examples'];

/** Packages in the order the site presents them; others follow alphabetically. */
const PACKAGE_ORDER = ['core', 'bert', 'glm', 'lora', 'prefix', 'models', 'trainer'];

function packageRank(name) {
  const index = PACKAGE_ORDER.indexOf(name);
  return index === -1 ? PACKAGE_ORDER.length : index;
}

/**
 * Every result file with its parsed data: `{ path, relativePath, folder, packageName, bench, data }`,
 * where `bench` is the package's `bench` script (absent when it has none).
 */
export function findResultFiles(root = repositoryRoot) {
  const files = [];
  for (const area of AREAS) {
    const areaFolder = join(root, area);
    if (!existsSync(areaFolder)) continue;
    const folders = readdirSync(areaFolder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort((a, b) => packageRank(a) - packageRank(b) || a.localeCompare(b));
    for (const folder of folders) {
      const resultsFolder = join(areaFolder, folder, 'bench', 'results');
      if (!existsSync(resultsFolder)) continue;
      const manifestPath = join(areaFolder, folder, 'package.json');
      const manifest = existsSync(manifestPath)
        ? JSON.parse(readFileSync(manifestPath, 'utf8'))
        : {};
      for (const file of readdirSync(resultsFolder)
        .filter((entry) => entry.endsWith('.json'))
        .sort()) {
        const path = join(resultsFolder, file);
        files.push({
          path,
          relativePath: relative(root, path).replace(/\\/g, '/'),
          folder,
          packageName: manifest.name ?? folder,
          bench: manifest.scripts?.bench,
          data: JSON.parse(readFileSync(path, 'utf8')),
        });
      }
    }
  }
  return files;
}

/** The command that reproduces a result file, run from the repository root. */
export function reproduceCommand(file) {
  return file.bench ? `pnpm --filter ${file.packageName} bench` : undefined;
}
