import { isTensor } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from '../conformance-check';
import { failIfAny } from '../internal/check-outcome';

/** Every tensor inside nested objects and arrays. */
function tensorsIn(
  value: unknown,
  found: tf.Tensor[] = [],
  seen = new Set<unknown>(),
): tf.Tensor[] {
  if (value == null || typeof value !== 'object' || seen.has(value)) return found;
  seen.add(value);
  if (isTensor(value)) {
    found.push(value);
    return found;
  }
  for (const member of Object.values(value)) tensorsIn(member, found, seen);
  return found;
}

/**
 * The forward pass leaves nothing behind once the caller disposes what it returned, the backward
 * pass leaves nothing behind once the gradients are disposed, and neither frees the caller's tensors.
 */
export const tensorLeaksCheck: ConformanceCheck = {
  id: 'tensor-leaks',
  title: 'computeLoss leaks no tensor, forward or backward, and frees none of the caller’s',
  run(context) {
    const { objective, fixture } = context;
    const batch = context.createBatch();
    const weights = context.weights().map((weight) => weight.variable);
    const problems: string[] = [];
    const outputs = tf.tidy(() => fixture.model.apply(batch) as tf.TensorContainer);
    // The model may hand over its own weights (a tied embedding table): those are not ours to free.
    const inputs = tensorsIn(outputs).filter((tensor) => !(tensor instanceof tf.Variable));
    try {
      const beforeForward = tf.memory().numTensors;
      const result = objective.computeLoss({ outputs, batch });
      const given = tensorsIn(outputs);
      const returned = tensorsIn(result).filter((tensor) => !given.includes(tensor));
      if (given.some((tensor) => tensor.isDisposed)) {
        problems.push(
          'computeLoss disposed a tensor of `outputs`: the caller owns its inputs; dispose only what you create.',
        );
      }
      tf.dispose(returned);
      const forward = tf.memory().numTensors - beforeForward;
      if (forward !== 0) {
        problems.push(
          `forward: ${forward} tensor(s) stayed allocated after the caller disposed everything computeLoss returned. Wrap the tensor side in tf.tidy (return the result from it) and dispose tensors created outside it.`,
        );
      }
    } finally {
      tf.dispose(inputs);
    }
    const beforeBackward = tf.memory().numTensors;
    const { value, grads } = tf
      .engine()
      .gradients(
        () => objective.computeLoss({ outputs: fixture.model.apply(batch), batch }).loss,
        weights,
        undefined,
        true,
      );
    tf.dispose([value, ...grads.filter((gradient) => gradient != null)]);
    const backward = tf.memory().numTensors - beforeBackward;
    if (backward !== 0) {
      problems.push(
        `backward: ${backward} tensor(s) stayed allocated after a gradient computation whose result was disposed. Look for tf.keep or tensors stored in closures in custom gradients.`,
      );
    }
    if (weights.some((weight) => weight.isDisposed)) {
      problems.push(
        'a trainable weight was disposed during the check; only dispose() may free it.',
      );
    }
    failIfAny(problems, 'Tensors leak or are freed too early:');
    return undefined;
  },
};
