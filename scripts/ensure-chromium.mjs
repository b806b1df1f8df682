#!/usr/bin/env node
// Makes sure a Chromium binary is available for the browser end-to-end tests (Playwright cannot
// download its own browser here). Uses $CHROMIUM_PATH or /usr/bin/chromium; when neither exists
// and we are root on a Debian-like system (as CI is), installs Debian's `chromium` package.
import { existsSync } from 'node:fs';
import { aptInstall, canInstallWithApt } from './apt-install.mjs';

const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(candidate)) {
  console.log(`[setup] Chromium found at ${candidate}`);
  process.exit(0);
}
if (!canInstallWithApt()) {
  console.error(
    `[setup] The browser tests need Chromium, and none was found at ${candidate}. Install it (Debian/Ubuntu: sudo apt-get install chromium), or point CHROMIUM_PATH at a Chromium or Chrome binary.`,
  );
  process.exit(1);
}
console.log("[setup] installing Debian's chromium package for the browser tests");
aptInstall('chromium');
