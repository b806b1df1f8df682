import { describeValue, InvalidArgumentError } from '@lm-objectives/core';
import { checkCheckpointManifest, entrySize } from './check-checkpoint-manifest';
import type { TrainingCheckpoint } from './training-checkpoint';

/**
 * Checks a whole in-memory checkpoint: its manifest (`checkCheckpointManifest`), one typed array
 * per tensor entry of the entry's dtype (`Float32Array` for float32, `Int32Array` for int32) and
 * size, and finite values in every float32 array (a NaN or infinite weight or moment would turn
 * every later update into NaN; second moments, running means of $g^2$, are also $\ge 0$). Returns it typed.
 */
export function checkTrainingCheckpoint(value: unknown, functionName: string): TrainingCheckpoint {
  if (value === null || typeof value !== 'object') {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpoint',
      expected: 'a checkpoint { manifest, arrays } from trainer.saveCheckpoint() or a store',
      received: value,
      fix: 'pass the value saveCheckpoint() or a load function returned.',
    });
  }
  const candidate = value as Partial<TrainingCheckpoint>;
  const manifest = checkCheckpointManifest(candidate.manifest, functionName);
  const arrays = candidate.arrays;
  if (!Array.isArray(arrays) || arrays.length !== manifest.tensors.length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'checkpoint.arrays',
      expected: `${manifest.tensors.length} typed arrays, one per manifest tensor`,
      received: arrays,
      fix: 'pass the value saveCheckpoint() or a load function returned.',
    });
  }
  manifest.tensors.forEach((entry, index) => {
    const array: unknown = arrays[index];
    const type = entry.dtype === 'int32' ? Int32Array : Float32Array;
    const size = entrySize(entry);
    if (!(array instanceof type) || array.length !== size) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `checkpoint.arrays[${index}]`,
        expected: `a ${type.name} of ${size} values (${entry.dtype} [${entry.shape.join(', ')}])`,
        received: array,
        receivedDescription:
          array instanceof Float32Array || array instanceof Int32Array
            ? `a ${array.constructor.name} of ${array.length} values`
            : describeValue(array),
        fix: 'pass the value saveCheckpoint() or a load function returned.',
      });
    }
    if (array instanceof Float32Array) {
      // v is a running mean of squares: v ≥ 0.
      const minimum = entry.group === 'second-moment' ? 0 : Number.NEGATIVE_INFINITY;
      const bad = array.findIndex((number) => !(Number.isFinite(number) && number >= minimum));
      if (bad >= 0) {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `checkpoint.arrays[${index}][${bad}]`,
          expected: `finite values${minimum === 0 ? ' ≥ 0' : ''} in ${entry.group} tensor ${entry.index} ('${entry.name}')`,
          received: array[bad],
          fix: 'resume from a checkpoint saved before the run diverged.',
        });
      }
    }
  });
  return { manifest, arrays: arrays as TrainingCheckpoint['arrays'] };
}
