#!/usr/bin/env node
// Packs workspace packages into tarballs that npm installs like published ones: the way to use the
// packages in a project outside the repository before they are on npm. Packs each requested
// package and the workspace packages it depends on (`pnpm pack`, which turns `workspace:*` into
// versions) as `<destination>/lm-objectives-<name>.tgz` — without the version in the name, so the
// install command stays the same from version to version — then prints the `npm i` line.
//
// Usage: node scripts/pack-packages.mjs [name ...] [--destination DIR]
//   default: every public package of packages/, into ./packed
// Needs the packages built; `npm run pack:packages -- [name ...]` builds them first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package.json of `packages/<name>`. */
export function packageManifest(name, root = repositoryRoot) {
  return JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
}

/** `name` and every workspace package it needs at run time (its @lm-objectives dependencies, recursively). */
export function workspaceClosure(name, root = repositoryRoot, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const dependency of Object.keys(packageManifest(name, root).dependencies ?? {})) {
    if (dependency.startsWith('@lm-objectives/'))
      workspaceClosure(dependency.slice('@lm-objectives/'.length), root, seen);
  }
  return seen;
}

/** The public (not private) packages of `packages/`. */
export function publicPackages(root = repositoryRoot) {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => !packageManifest(name, root).private)
    .sort();
}

/** Packs `packages/<name>` into `destination/lm-objectives-<name>.tgz` and returns that path. */
export function packPackage(name, destination, root = repositoryRoot) {
  const scratch = mkdtempSync(join(tmpdir(), `lm-objectives-pack-${name}-`));
  try {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', scratch], {
      cwd: join(root, 'packages', name),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const packed = output.trim().split('\n').pop();
    const tarball = join(destination, `lm-objectives-${name}.tgz`);
    mkdirSync(destination, { recursive: true });
    renameSync(packed.startsWith('/') ? packed : join(scratch, packed), tarball);
    return tarball;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Packs `names` and what they depend on; returns the tarball paths. */
export function packPackages(names, destination, root = repositoryRoot) {
  const all = new Set();
  for (const name of names) workspaceClosure(name, root, all);
  return [...all].sort().map((name) => packPackage(name, destination, root));
}

function parseArguments(argv) {
  const names = [];
  let destination = join(repositoryRoot, 'packed');
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--destination') destination = resolve(argv[++index] ?? '');
    else names.push(argv[index].replace(/^@lm-objectives\//, ''));
  }
  return { names: names.length > 0 ? names : publicPackages(), destination };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { names, destination } = parseArguments(process.argv.slice(2));
  const tarballs = packPackages(names, destination);
  console.log(`[pack] ${tarballs.length} tarballs in ${destination}:`);
  for (const tarball of tarballs) console.log(`  ${tarball}`);
  console.log('[pack] in your project (TensorFlow.js is a peer dependency):');
  console.log(
    `  npm i ${tarballs.join(' ')} @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0`,
  );
}
