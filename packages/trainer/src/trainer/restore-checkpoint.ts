import {
  checkBoolean,
  checkOptionKeys,
  InvalidArgumentError,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkTrainingCheckpoint } from '../checkpoint/check-training-checkpoint';
import type { CheckpointManifest, TrainingCheckpoint } from '../checkpoint/training-checkpoint';
import { checkNotDisposed, type TrainerState } from './trainer-state';

/** Options of `trainer.loadCheckpoint`. */
export interface LoadCheckpointOptions {
  /**
   * Accept a checkpoint whose AdamW hyper-parameters or clipping threshold differ from this
   * trainer's (the trainer's own then apply from the next step on). Default `false`: such a
   * checkpoint is refused, since a resumed run would silently train with other settings.
   */
  allowChangedHyperParameters?: boolean;
}

const FIX = 'build the model and objective with the same configuration as the saved run.';

function refuse(argumentName: string, expected: string, receivedDescription: string, fix = FIX) {
  return new InvalidArgumentError({
    functionName: 'loadCheckpoint',
    argumentName,
    expected,
    received: undefined,
    receivedDescription,
    fix,
  });
}

/** Checks that the checkpoint's objective and tensors match this trainer's objective and variables. */
function checkTensorsFit(
  state: TrainerState<unknown, ObjectiveBatchV1, unknown, string>,
  manifest: CheckpointManifest,
): void {
  const { objectiveId } = state.settings.objective;
  if (manifest.objectiveId !== objectiveId) {
    throw refuse(
      'checkpoint.manifest.objectiveId',
      `a checkpoint of objective '${objectiveId}'`,
      `a checkpoint of '${manifest.objectiveId}'`,
      'load it into a trainer of the same objective.',
    );
  }
  const { trained } = state;
  if (manifest.tensors.length !== 3 * trained.length) {
    throw refuse(
      'checkpoint',
      `${3 * trained.length} tensors (${trained.length} variables with two moments each)`,
      `${manifest.tensors.length} tensors`,
    );
  }
  trained.forEach(({ variable, group, index }, position) => {
    const entry = manifest.tensors[position]!;
    const dtype = variable.dtype === 'int32' ? 'int32' : 'float32';
    const fits =
      entry.group === group &&
      entry.index === index &&
      entry.dtype === dtype &&
      entry.shape.length === variable.shape.length &&
      entry.shape.every((size, axis) => size === variable.shape[axis]);
    if (!fits) {
      throw refuse(
        'checkpoint',
        `tensor ${position} (${group} variable ${index}, '${variable.name}') ${dtype} of shape [${variable.shape.join(', ')}]`,
        `${entry.group} ${entry.index} ${entry.dtype} of shape [${entry.shape.join(', ')}]`,
      );
    }
  });
}

/** Checks that the checkpoint's AdamW hyper-parameters and clipping threshold are this trainer's. */
function checkHyperParametersFit(
  state: TrainerState<unknown, ObjectiveBatchV1, unknown, string>,
  manifest: CheckpointManifest,
): void {
  const { beta1, beta2, epsilon, weightDecay } = manifest.optimizer;
  const saved: Record<string, number | null> = {
    beta1,
    beta2,
    epsilon,
    weightDecay,
    maxGradientNorm: manifest.maxGradientNorm,
  };
  const { maxGradientNorm } = state.settings;
  const current: Record<string, number | null> = {
    ...state.optimizer.options,
    maxGradientNorm: Number.isFinite(maxGradientNorm) ? maxGradientNorm : null,
  };
  for (const name of ['beta1', 'beta2', 'epsilon', 'weightDecay', 'maxGradientNorm']) {
    if (!Object.is(saved[name], current[name])) {
      const path = name === 'maxGradientNorm' ? name : `optimizer.${name}`;
      throw refuse(
        `checkpoint.manifest.${path}`,
        `${current[name]}, this trainer's ${path}`,
        `${saved[name]}`,
        `create the trainer with ${path}: ${saved[name]} as the saved run did, or pass { allowChangedHyperParameters: true } to continue with this trainer's value.`,
      );
    }
  }
}

/**
 * Restores a checkpoint saved from a trainer built the same way: **all or nothing**. Every field
 * and array is checked first (`checkTrainingCheckpoint`: step, random state, hyper-parameters,
 * dtypes, shapes, finite values), then against this trainer (objective, variables, dtypes,
 * shapes, hyper-parameters unless `allowChangedHyperParameters`), and the new weights are built as
 * tensors; only then are the weights, the AdamW moments and counts $t_i$, the random source and the
 * step replaced. A refused checkpoint leaves all of them bit-identical.
 */
export function restoreCheckpoint<
  Example,
  Batch extends ObjectiveBatchV1,
  Outputs,
  PartName extends string,
>(
  state: TrainerState<Example, Batch, Outputs, PartName>,
  checkpoint: TrainingCheckpoint,
  options: LoadCheckpointOptions = {},
): void {
  checkNotDisposed(state, 'loadCheckpoint');
  checkOptionKeys('loadCheckpoint', options, ['allowChangedHyperParameters']);
  const allowChanged = checkBoolean(
    { functionName: 'loadCheckpoint', argumentName: 'options.allowChangedHyperParameters' },
    options?.allowChangedHyperParameters,
    false,
  );
  const { manifest, arrays } = checkTrainingCheckpoint(checkpoint, 'loadCheckpoint');
  const generic = state as unknown as TrainerState<unknown, ObjectiveBatchV1, unknown, string>;
  checkTensorsFit(generic, manifest);
  if (!allowChanged) checkHyperParametersFit(generic, manifest);
  const { trained } = state;
  const weights = tf.tidy(() =>
    trained.map(({ variable }, index) => tf.tensor(arrays[index]!, variable.shape, variable.dtype)),
  );
  try {
    trained.forEach(({ variable }, index) => {
      variable.assign(weights[index]!);
    });
  } finally {
    tf.dispose(weights);
  }
  const moments = (offset: number) =>
    trained.map((_, index) => arrays[trained.length + 2 * index + offset] as Float32Array);
  state.optimizer.setState({
    steps: manifest.optimizer.steps,
    firstMoments: moments(0),
    secondMoments: moments(1),
  });
  state.random.restore(manifest.randomState);
  state.step = manifest.step;
}
