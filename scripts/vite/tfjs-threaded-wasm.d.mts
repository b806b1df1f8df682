import type { Plugin } from 'vite';

/** A Vite plugin that keeps tfjs-backend-wasm's threaded workers working after minification. */
export declare function tfjsThreadedWasm(): Plugin;
