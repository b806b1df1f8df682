// Test support (not exported): a trainer's whole state as plain data, to assert that a refused
// step or load changed nothing, bit for bit.
import type { TrainingCheckpoint } from '../checkpoint/training-checkpoint';

/** What {@link snapshotTrainer} reads: a trainer's public state. */
interface SnapshotSource {
  readonly step: number;
  readonly random: { getState(): readonly number[] };
  saveCheckpoint(): Promise<TrainingCheckpoint>;
}

/** Weights, AdamW moments and counts, step and random state, as arrays of numbers (bits compared by toEqual). */
export async function snapshotTrainer(trainer: SnapshotSource) {
  const checkpoint = await trainer.saveCheckpoint();
  return {
    step: trainer.step,
    random: [...trainer.random.getState()],
    optimizerSteps: [...checkpoint.manifest.optimizer.steps],
    arrays: checkpoint.arrays.map((array) =>
      Array.from(new Uint32Array(array.buffer, array.byteOffset, array.length)),
    ),
  };
}
