// The demo's e2e and benchmark serve the built app (`dist/web`) with the repository's static
// server for browser tests: 127.0.0.1, `application/wasm`, and the cross-origin isolation headers
// a deployment of the demo should send, so that wasm runs threaded.
export { type StaticServer, serveDirectory } from '../../../scripts/chromium/serve-directory.mjs';
