// Vite's `?url` imports: the module's default export is the served URL of the file.
declare module '*?url' {
  const url: string;
  export default url;
}

/** Build-time settings of the page (`VITE_*` environment variables). */
interface ImportMetaEnv {
  /** The documentation site's URL (default `../`, see `docs-url.ts`). */
  readonly VITE_DOCS_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
