// Opens the built test page in Debian's headless Chromium with WebGPU enabled, served from
// 127.0.0.1, and collects the page's errors so that a test can show them when it fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_WEBGPU_ARGS,
  chromiumLaunchOptions,
} from '../../../scripts/chromium/launch-options.mjs';
import { type StaticServer, serveDirectory } from '../../../scripts/chromium/serve-directory.mjs';
import type { BackendTestsApi } from '../src/page/main';

/** The built site (`vite build` → `dist/web`). */
export const SITE = fileURLToPath(new URL('../dist/web', import.meta.url));

/** A browser, a page on the test site and the server behind it. */
export interface TestPage {
  readonly page: Page;
  /** Uncaught errors and console errors seen so far. */
  readonly problems: string[];
  /** Calls the page's {@link BackendTestsApi}. */
  call<Name extends keyof BackendTestsApi>(
    name: Name,
    ...args: Parameters<BackendTestsApi[Name]>
  ): Promise<Awaited<ReturnType<BackendTestsApi[Name]>>>;
  close(): Promise<void>;
}

/** Starts Chromium (WebGPU on) and opens `path` of the test site. */
export async function openTestPage(
  path = 'index.html',
  { crossOriginIsolated = true }: { crossOriginIsolated?: boolean } = {},
): Promise<TestPage> {
  assert.ok(existsSync(join(SITE, 'index.html')), `no build at ${SITE}: run \`vite build\` first`);
  const server: StaticServer = await serveDirectory(SITE, { crossOriginIsolated });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch(
      chromiumLaunchOptions({ args: [...CHROMIUM_ARGS, ...CHROMIUM_WEBGPU_ARGS] }),
    );
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${server.origin}/${path}`);
    await page.waitForFunction(() => window.backendTests !== undefined, null, { timeout: 60_000 });
    const opened = browser;
    return {
      page,
      problems,
      call: (name, ...args) =>
        page.evaluate(
          ([method, parameters]) =>
            (window.backendTests![method] as (...values: unknown[]) => unknown)(...parameters),
          [name, args] as const,
        ) as never,
      close: async () => {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
