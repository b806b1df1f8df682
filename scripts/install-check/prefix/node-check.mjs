// Runs in a fresh npm project where only @lm-objectives/prefix (with core and safetensors) and @tensorflow/tfjs are installed.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {
  createPrefixEncoder,
  decodePrefixCheckpoint,
  encodePrefixCheckpoint,
  exportPrefix,
  loadPrefix,
} from '@lm-objectives/prefix';

tf.env().set('PROD', true);
const sizes = { numLayers: 2, numHeads: 2, headSize: 4 };
const results = {};
for (const backend of ['cpu', 'wasm']) {
  await tf.setBackend(backend);
  const prefix = createPrefixEncoder(sizes, {
    numVirtualTokens: 3,
    prefixProjection: true,
    seed: 7,
  });
  const layers = prefix.keyValues(2);
  const shape = layers[0].key.shape;
  const trained = layers.map(({ key }) => key.dataSync()[0]);
  tf.dispose(layers.flatMap(({ key, value }) => [key, value]));
  const bytes = encodePrefixCheckpoint(exportPrefix(prefix));
  const loaded = loadPrefix(decodePrefixCheckpoint(bytes), sizes);
  const loadedLayers = loaded.keyValues(2);
  const reloaded = loadedLayers.map(({ key }) => key.dataSync()[0]);
  tf.dispose(loadedLayers.flatMap(({ key, value }) => [key, value]));
  const flipped = bytes.slice();
  flipped[flipped.length - 1] ^= 1;
  let corruption = 'accepted';
  try {
    decodePrefixCheckpoint(flipped);
  } catch (error) {
    corruption = error.code;
  }
  results[backend] = { shape, trained, reloaded, corruption, parameters: prefix.parameterCount() };
  loaded.dispose();
  prefix.dispose();
}
const { cpu, wasm } = results;
if (
  JSON.stringify(cpu.shape) !== JSON.stringify([2, 2, 3, 4]) ||
  JSON.stringify(cpu.trained) !== JSON.stringify(cpu.reloaded) ||
  cpu.corruption !== 'checksum-mismatch' ||
  cpu.trained.some((value, index) => Math.abs(value - wasm.trained[index]) > 1e-6)
) {
  throw new Error(`unexpected results: ${JSON.stringify(results)}`);
}
console.log(
  `[install-check] prefix: ${cpu.parameters} trainable parameters; per-layer keys ${JSON.stringify(cpu.shape)}; export → load identical; a flipped byte is refused (${cpu.corruption}); cpu and wasm agree to 1e-6`,
);
