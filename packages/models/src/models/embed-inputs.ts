import { embeddingLookup } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedTransformerConfig } from './transformer-config';
import type { CommonInputs } from './transformer-model';
import type { TransformerSpec } from './transformer-spec';

/**
 * The embedding sum $h_0 = E_\mathrm{tok}[x] + E_\mathrm{pos}[p] + \sum_k E_k[s_k]$: the token
 * table, the position table (learned positions only; default $p = 0 \ldots L-1$ for every row) and
 * each extra table looked up with its input (omitted ids read row 0 everywhere). Ids were checked
 * before, so the lookups skip their own range check.
 *
 * @returns float32 `[B, L, H]`. Call inside a tidy.
 * @internal
 */
export function embedInputs<Config extends ResolvedTransformerConfig>(
  spec: TransformerSpec<Config>,
  weights: Readonly<Record<string, tf.Variable>>,
  inputs: CommonInputs,
  length: number,
): tf.Tensor3D {
  const options = { validateIds: false };
  let sum = embeddingLookup(weights['embeddings.token']!, inputs.inputIds, options);
  if (spec.architecture.positions === 'learned') {
    const table = weights['embeddings.position']!;
    const positions = inputs.positionIds
      ? embeddingLookup(table, inputs.positionIds, options)
      : tf.reshape(
          embeddingLookup(
            table,
            Int32Array.from({ length }, (_, index) => index),
            options,
          ),
          [1, length, spec.config.hiddenSize],
        );
    sum = tf.add(sum, positions);
  }
  for (const extra of spec.extraEmbeddings) {
    const ids = (inputs as unknown as Record<string, tf.Tensor | undefined>)[extra.input];
    // Omitted ids mean row 0 everywhere (segment A): one row, broadcast over [B, L].
    sum = tf.add(sum, embeddingLookup(weights[extra.table]!, ids ?? [0], options));
  }
  return sum as tf.Tensor3D;
}
