import type { CausalDecoder } from '@lm-objectives/models';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * The trainer's view of a causal decoder on conditional batches: the batch fields it reads and
 * the forward pass returning `{ hiddenStates, projection }` for the fused loss.
 */
export function decoderForward(model: CausalDecoder) {
  return {
    inputFields: ['inputIds', 'attentionMask', 'positionIds'],
    apply: ({ tensors }: { tensors: Readonly<Record<string, tf.Tensor>> }) => {
      const outputs = model.apply({
        inputIds: tensors['inputIds']!,
        attentionMask: tensors['attentionMask']!,
        positionIds: tensors['positionIds']!,
      });
      return { hiddenStates: outputs.hiddenStates, projection: outputs.projection };
    },
  } as const;
}
