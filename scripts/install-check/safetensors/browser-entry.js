// A browser entry that uses @lm-objectives/safetensors as an application would.
import { readSafetensors, writeSafetensors } from '@lm-objectives/safetensors';

const bytes = writeSafetensors(
  new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]),
);
document.body.textContent = `${[...readSafetensors(bytes).tensors.keys()]}`;
