import * as tf from '@tensorflow/tfjs-core';
console.log(tf.getGradient ? 'x' : '', Object.keys(tf).length);
import '@tensorflow/tfjs-backend-cpu';
await tf.setBackend('cpu');
try { const g = tf.grad((x) => tf.sum(tf.exp(x)))(tf.ones([2])); g.print(); } catch (e) { console.log('ERR', e.message); }
