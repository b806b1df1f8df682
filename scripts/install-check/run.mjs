#!/usr/bin/env node
// Install like a user: packs the workspace packages, creates a fresh project outside the workspace
// with plain npm, installs one package (its tarball and the tarballs of the workspace packages it
// depends on) plus @tensorflow/tfjs, then (a) runs a Node ESM script against it on the cpu and wasm
// backends, and (b) bundles a browser entry with Vite and checks that code of the objectives it
// does not depend on stayed out of the bundle.
//
// Usage: node scripts/install-check/run.mjs [package ...]   (default: every package with a folder here)
// Needs the packages built (turbo's `build`).
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPackage, workspaceClosure } from '../pack-packages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TFJS_VERSION = '4.22.0';
const VITE_VERSION = '7.3.8';

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function check(name) {
  const config = JSON.parse(readFileSync(join(here, name, 'check.json'), 'utf8'));
  const project = mkdtempSync(join(tmpdir(), `lm-objectives-install-${name}-`));
  const tarballs = [...workspaceClosure(name)].map((packageName) =>
    packPackage(packageName, project),
  );
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: `install-check-${name}`, private: true, type: 'module' }, null, 2),
  );
  cpSync(join(here, name), project, { recursive: true });
  console.log(
    `[install-check] ${name}: npm install ${tarballs.map((file) => file.split('/').pop()).join(' ')} @tensorflow/tfjs@${TFJS_VERSION} …`,
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...tarballs,
      `@tensorflow/tfjs@${TFJS_VERSION}`,
      `@tensorflow/tfjs-backend-wasm@${TFJS_VERSION}`,
      `vite@${VITE_VERSION}`,
    ],
    project,
  );
  const installed = readdirSync(join(project, 'node_modules', '@lm-objectives')).sort();
  const expected = [...workspaceClosure(name)].sort();
  if (JSON.stringify(installed) !== JSON.stringify(expected)) {
    throw new Error(
      `${name}: expected exactly @lm-objectives/{${expected}} installed, found {${installed}}`,
    );
  }
  console.log(run('node', ['node-check.mjs'], project).trim());
  run('npx', ['vite', 'build', '--logLevel', 'error', '--outDir', 'bundle'], project);
  const bundleDirectory = join(project, 'bundle', 'assets');
  const bundle = readdirSync(bundleDirectory)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(bundleDirectory, file), 'utf8'))
    .join('\n');
  for (const marker of config.mustContain) {
    if (!bundle.includes(marker))
      throw new Error(
        `${name}: the browser bundle lacks ${JSON.stringify(marker)}: the entry did not bundle the package`,
      );
  }
  for (const marker of config.mustNotContain) {
    if (bundle.includes(marker))
      throw new Error(
        `${name}: the browser bundle contains ${JSON.stringify(marker)}, code of a package it does not depend on`,
      );
  }
  console.log(
    `[install-check] ${name}: browser bundle ${(bundle.length / 1024).toFixed(0)} KiB contains ${config.mustContain.length} expected markers and none of ${config.mustNotContain.length} foreign ones`,
  );
  rmSync(project, { recursive: true, force: true });
}

const requested = process.argv.slice(2);
const names =
  requested.length > 0
    ? requested
    : readdirSync(here, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
mkdirSync(tmpdir(), { recursive: true });
for (const name of names) check(name);
console.log(`[install-check] passed: ${names.join(', ')}`);
