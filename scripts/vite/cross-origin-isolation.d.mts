import type { Plugin } from 'vite';

/** The response headers that make a document cross-origin isolated (COOP `same-origin`, COEP `require-corp`). */
export declare const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>>;
/** A Vite plugin that sends the headers from the dev server and from `vite preview`. */
export declare function crossOriginIsolation(): Plugin;
