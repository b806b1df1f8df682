import { InvalidArgumentError } from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Which owner a trained variable belongs to, for checkpoints. */
export type VariableGroup = 'model' | 'objective';

/** A variable the trainer optimises, with where it came from. */
export interface TrainedVariable {
  readonly variable: tf.Variable;
  readonly group: VariableGroup;
  /** Its index within its owner's list. */
  readonly index: number;
}

/**
 * The variables to optimise: the model's, then the objective's own (e.g. BERT's heads), without
 * duplicates (a tied embedding listed by both is trained once) and without frozen ones.
 */
export function collectVariables(
  modelVariables: readonly tf.Variable[],
  objectiveVariables: readonly tf.Variable[],
  functionName: string,
): TrainedVariable[] {
  if (!Array.isArray(modelVariables)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.model.variables',
      expected: 'an array of tf.Variable',
      received: modelVariables,
      fix: 'list the model weights to train, e.g. variables: model.weights.',
    });
  }
  const seen = new Set<tf.Variable>();
  const trained: TrainedVariable[] = [];
  const add = (variables: readonly tf.Variable[], group: VariableGroup) => {
    variables.forEach((variable, index) => {
      if (variable == null || typeof (variable as { assign?: unknown }).assign !== 'function') {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `options.${group}.variables[${index}]`,
          expected: 'a tf.Variable',
          received: variable,
          fix: 'wrap weights with tf.variable(initialValue) (a plain tensor cannot be trained).',
        });
      }
      if (seen.has(variable) || variable.trainable === false) return;
      seen.add(variable);
      trained.push({ variable, group, index });
    });
  };
  add(modelVariables, 'model');
  add(objectiveVariables, 'objective');
  if (trained.length === 0) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'options.model.variables',
      expected: 'at least one trainable tf.Variable (model or objective)',
      received: modelVariables,
      fix: 'list the weights to train; frozen weights (trainable: false) are skipped.',
    });
  }
  return trained;
}
