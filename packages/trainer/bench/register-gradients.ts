/**
 * Registers every tfjs-core gradient in a plain Node script (vitest's resolver does not need this;
 * see `directory-imports.mjs` for why Node does).
 */
import { register } from 'node:module';

register('./directory-imports.mjs', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
