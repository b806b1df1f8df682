/**
 * Registers every tfjs-core gradient in a plain Node script (vitest's resolver does not need this;
 * see `@lm-objectives/test-utils/tfjs-esm-resolve-hook` for why Node does).
 */
import { register } from 'node:module';

register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
