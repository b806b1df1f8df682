#!/usr/bin/env node
// Runs a pnpm command after making sure the project is ready to run it on a machine that has only
// Node.js and npm: installs the pinned pnpm when it is missing, then the workspace's dependencies
// from the committed lockfile when they are missing or stale. Used by the README's commands, so
// that each of them works on a fresh clone without a separate install step.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const found = pnpmVersion();
if (found === undefined || found.split('.')[0] !== wanted.split('.')[0]) {
  console.log(`[setup] installing pnpm@${wanted} (found: ${found ?? 'none'})`);
  run('npm', ['install', '--global', `pnpm@${wanted}`]);
}

const marker = join(root, 'node_modules', '.modules.yaml');
const lockfile = join(root, 'pnpm-lock.yaml');
const installed = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs;
if (!installed) {
  console.log('[setup] installing dependencies from pnpm-lock.yaml');
  run('pnpm', ['install', '--frozen-lockfile']);
}

run('pnpm', process.argv.slice(2));
