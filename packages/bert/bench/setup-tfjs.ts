// Loads tfjs-core with every gradient registered, and the wasm backend, for the benchmarks.
import { register } from 'node:module';

register('@lm-objectives/test-utils/tfjs-esm-resolve-hook', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await import('@tensorflow/tfjs-backend-wasm');
const tf = await import('@tensorflow/tfjs-core');
// Silences the Node banner (IS_TEST would also turn on leak checks that throw inside tfjs on wasm).
tf.env().set('PROD', true);
