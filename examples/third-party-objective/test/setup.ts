// What any plugin's test set-up needs: tfjs-core's gradients (tfjs-core alone registers none in
// Node), the cpu and wasm backends the conformance suite runs on, and a quiet console.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

tf.env().set('PROD', true);
