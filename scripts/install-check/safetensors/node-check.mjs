// Runs in a fresh npm project where only @lm-objectives/safetensors is installed (it needs no TensorFlow.js).
import { readSafetensors, SafetensorsError, writeSafetensors } from '@lm-objectives/safetensors';

const weight = Float32Array.from({ length: 6 }, (_, index) => index / 7);
const bytes = writeSafetensors(
  new Map([['layer.weight', { dtype: 'F32', shape: [2, 3], data: weight }]]),
  { format: 'pt' },
);
const { tensors, metadata } = readSafetensors(bytes);
const read = tensors.get('layer.weight');
if (
  JSON.stringify(read.shape) !== '[2,3]' ||
  read.data.some((value, index) => value !== weight[index]) ||
  metadata.format !== 'pt'
) {
  throw new Error('round trip changed the tensor');
}
let code;
try {
  readSafetensors(bytes.subarray(0, bytes.length - 4));
} catch (error) {
  code = SafetensorsError.isInstance(error) ? error.code : String(error);
}
if (code !== 'truncated') throw new Error(`a truncated file gave ${code}`);
const checked = writeSafetensors(
  { w: { shape: [2], data: Float32Array.of(1, 2) } },
  {},
  { checksum: true },
);
checked[checked.length - 1] ^= 1;
let flipped;
try {
  readSafetensors(checked);
} catch (error) {
  flipped = SafetensorsError.isInstance(error) ? error.code : String(error);
}
if (flipped !== 'checksum-mismatch') throw new Error(`a flipped byte gave ${flipped}`);
console.log(
  `[install-check] safetensors: ${bytes.length}-byte file round-trips exactly; a truncated one is refused (${code}); a flipped byte under a checksum is refused (${flipped})`,
);
