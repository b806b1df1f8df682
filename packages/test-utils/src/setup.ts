// Test set-up shared by every suite of this package: registers the gradients of tfjs-core's ops
// (tfjs-core alone registers none in Node), both backends the suites run on, and silences the
// Node banner. `IS_TEST` is deliberately not set: it turns on per-kernel leak checks that throw
// inside tfjs's own ops on wasm.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

tf.env().set('PROD', true);
