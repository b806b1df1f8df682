import type { ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkJsonObject } from '../checkpoint/check-json-value';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointTensorEntry,
  type TrainingCheckpoint,
} from '../checkpoint/training-checkpoint';
import { checkNotDisposed, type TrainerState } from './trainer-state';

function dtypeOf(variable: tf.Variable): 'float32' | 'int32' {
  return variable.dtype === 'int32' ? 'int32' : 'float32';
}

/**
 * The full training state as a checkpoint: every trained variable (in trainer order), then each
 * one's AdamW moments $m_i, v_i$, the per-variable update counts $t_i$, the step (the schedule's
 * position), the random source's state, the hyper-parameters, and the caller's `metadata` (plain
 * JSON, checked). The arrays may share memory with live tensors: treat them as read-only.
 */
export async function captureCheckpoint<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  metadata: Record<string, unknown> = {},
): Promise<TrainingCheckpoint> {
  checkNotDisposed(state, 'saveCheckpoint');
  checkJsonObject(metadata, 'saveCheckpoint', 'metadata');
  // Everything is taken synchronously — step, random state, and clones of the weights and moments
  // (which share their data, copying nothing) — so a step run while the values are read back does
  // not mix two states into one checkpoint.
  const step = state.step;
  const randomState = state.random.getState();
  const snapshot = state.trained.map(({ variable }) => tf.clone(variable));
  const reading = state.optimizer.getState();
  const entries: CheckpointTensorEntry[] = [];
  const arrays: (Float32Array | Int32Array)[] = [];
  try {
    for (const [position, { variable, group, index }] of state.trained.entries()) {
      entries.push({
        group,
        index,
        name: variable.name,
        dtype: dtypeOf(variable),
        shape: [...variable.shape],
      });
      arrays.push((await snapshot[position]!.data()) as Float32Array | Int32Array);
    }
  } finally {
    tf.dispose(snapshot);
  }
  const optimizerState = await reading;
  state.trained.forEach(({ variable }, index) => {
    for (const [group, moments] of [
      ['first-moment', optimizerState.firstMoments],
      ['second-moment', optimizerState.secondMoments],
    ] as const) {
      entries.push({
        group,
        index,
        name: variable.name,
        dtype: 'float32',
        shape: [...variable.shape],
      });
      arrays.push(moments[index]!);
    }
  });
  const { maxGradientNorm } = state.settings;
  return {
    manifest: {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      objectiveId: state.settings.objective.objectiveId,
      step,
      randomState,
      optimizer: { kind: 'adamw', steps: optimizerState.steps, ...state.optimizer.options },
      maxGradientNorm: Number.isFinite(maxGradientNorm) ? maxGradientNorm : null,
      tensors: entries,
      metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>,
    },
    arrays,
  };
}
