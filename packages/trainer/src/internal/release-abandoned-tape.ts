import * as tf from '@tensorflow/tfjs-core';

interface TapeNodeLike {
  saved?: readonly tf.Tensor[];
}

interface EngineStateLike {
  activeTape?: TapeNodeLike[] | null;
  gradientDepth?: number;
}

/**
 * When a forward pass throws inside `tf.variableGrads`, tfjs leaves the tensors that the tape saved
 * for the backward pass alive (they are kept, outside every tidy scope). Frees them, so that a
 * failed step or probe does not leak. A no-op when no gradient computation is abandoned.
 */
export function releaseAbandonedTape(): void {
  const state = (tf.engine() as unknown as { state?: EngineStateLike }).state;
  if (state == null || state.gradientDepth !== 0 || !Array.isArray(state.activeTape)) return;
  for (const node of state.activeTape) {
    for (const tensor of node.saved ?? []) tensor.dispose();
  }
  state.activeTape = null;
}
