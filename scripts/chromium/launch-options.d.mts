/** The Chromium binary: `$CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export declare const CHROMIUM_PATH: string;
/** Headless, no sandbox (CI runs as root), no GPU, and no background or update traffic. */
export declare const CHROMIUM_ARGS: readonly string[];
/** Added to {@link CHROMIUM_ARGS} for the WebGPU tests (SwiftShader when there is no GPU). */
export declare const CHROMIUM_WEBGPU_ARGS: readonly string[];
/** Options for `chromium.launch` / `chromium.launchPersistentContext`, with `extra` merged in. */
export declare function chromiumLaunchOptions<Extra extends Record<string, unknown>>(
  extra?: Extra,
): { executablePath: string; headless: true; args: string[] } & Extra;
