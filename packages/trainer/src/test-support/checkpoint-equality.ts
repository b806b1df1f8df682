// Test support (not exported): which of two checkpoints a loaded one is, bit for bit.
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint';

function bytes(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Whether two checkpoints are identical: the same manifest (as JSON) and the same bytes in every array. */
export function sameCheckpoint(a: TrainingCheckpoint, b: TrainingCheckpoint): boolean {
  return (
    JSON.stringify(a.manifest) === JSON.stringify(b.manifest) &&
    a.arrays.length === b.arrays.length &&
    a.arrays.every((array, index) => bytes(array).equals(bytes(b.arrays[index]!)))
  );
}

/** `'previous'` or `'new'` when `loaded` is bit-identical to one of them, else `'neither'`. */
export function whichCheckpoint(
  loaded: TrainingCheckpoint,
  previous: TrainingCheckpoint | undefined,
  next: TrainingCheckpoint,
): 'previous' | 'new' | 'neither' {
  if (sameCheckpoint(loaded, next)) return 'new';
  if (previous !== undefined && sameCheckpoint(loaded, previous)) return 'previous';
  return 'neither';
}
