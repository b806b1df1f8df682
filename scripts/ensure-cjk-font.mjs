#!/usr/bin/env node
// Makes sure a font with Chinese and Japanese glyphs is installed for the docs' browser test, which
// checks that the GLM page's sentence marks (。？！；) render as glyphs rather than boxes. Uses
// fontconfig to look for one; when none exists and we are root on a Debian-like system (as CI is),
// installs Debian's `fonts-wqy-microhei` (about 5 MB, the smallest complete CJK font there).
import { execFileSync } from 'node:child_process';
import { aptInstall, canInstallWithApt } from './apt-install.mjs';

function cjkFonts() {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

const found = cjkFonts();
if (found) {
  console.log(`[setup] CJK font found: ${found.split('\n')[0]}`);
  process.exit(0);
}
if (!canInstallWithApt()) {
  console.error(
    "[setup] The docs' browser test needs a font with Chinese glyphs, and fontconfig lists none. Install one (Debian/Ubuntu: sudo apt-get install fonts-wqy-microhei).",
  );
  process.exit(1);
}
console.log("[setup] installing Debian's fonts-wqy-microhei for the docs' browser test");
aptInstall('fonts-wqy-microhei');
