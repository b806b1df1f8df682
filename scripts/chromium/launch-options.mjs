// The one place the browser tests (trainer, demo, docs) say how to start Debian's Chromium with
// playwright-core: which binary, headless, and the flags that stop background networking (this
// machine reaches nothing but the npm registry, and a test must not depend on the network).

/** The Chromium binary: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), no GPU, and no background or update traffic. */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
]);

/**
 * Added to {@link CHROMIUM_ARGS} for the WebGPU tests: Linux Chromium offers `navigator.gpu` only
 * with this flag. With `--disable-gpu` and no GPU, the adapter is SwiftShader (software), which
 * is correct but slow; pages must be served from 127.0.0.1 (a secure context).
 */
export const CHROMIUM_WEBGPU_ARGS = Object.freeze(['--enable-unsafe-webgpu']);

/**
 * Options for `chromium.launch` / `chromium.launchPersistentContext`, with `extra` merged in.
 * @param {Record<string, unknown>} [extra]
 */
export function chromiumLaunchOptions(extra = {}) {
  return { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], ...extra };
}
