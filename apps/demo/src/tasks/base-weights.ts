import type { TransformerModel, WeightMap } from '@lm-objectives/models';

/**
 * Whether every weight of `model` is bit-identical to `snapshot` (compared as 32-bit patterns, so
 * `-0` vs `0` or a changed NaN payload counts as a change).
 */
export function weightsUnchanged(model: TransformerModel, snapshot: WeightMap): boolean {
  const current = model.getWeights();
  return Object.entries(snapshot).every(([name, entry]) => {
    const now = current[name];
    if (!now || now.data.length !== entry.data.length) return false;
    const before = new Uint32Array(entry.data.buffer, entry.data.byteOffset, entry.data.length);
    const after = new Uint32Array(now.data.buffer, now.data.byteOffset, now.data.length);
    return before.every((bits, index) => bits === after[index]);
  });
}
