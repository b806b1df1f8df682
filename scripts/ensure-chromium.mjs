#!/usr/bin/env node
// Makes sure a Chromium binary is available for the browser end-to-end tests (Playwright cannot
// download its own browser here). Uses $CHROMIUM_PATH or /usr/bin/chromium; when neither exists
// and we are root on a Debian-like system (as CI is), installs Debian's `chromium` package.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(candidate)) {
  console.log(`[setup] Chromium found at ${candidate}`);
  process.exit(0);
}
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  console.error(
    `[setup] The browser tests need Chromium, and none was found at ${candidate}. Install it (Debian/Ubuntu: sudo apt-get install chromium), or point CHROMIUM_PATH at a Chromium or Chrome binary.`,
  );
  process.exit(1);
}
console.log("[setup] installing Debian's chromium package for the browser tests");
const run = (args) =>
  execFileSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
run(['update', '-qq']);
run(['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
