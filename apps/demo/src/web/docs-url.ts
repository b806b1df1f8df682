/**
 * Where the demo links to the documentation site: `VITE_DOCS_URL` at build time, else `../` — the
 * site's root when the demo is served from a folder of it (e.g. `<docs>/demo/`).
 */
export function docsUrl(configured: string | undefined): string {
  const url = configured?.trim();
  return url ? url : '../';
}
