import type { ResolvedTransformerConfig } from './transformer-config';
import type { TransformerArchitecture } from './transformer-spec';

/**
 * The block family of BERT, GPT-2 and GLM: LayerNorm, a learned position table, a GELU
 * feed-forward layer (`config.activation`), biases on every linear, one key/value head per query
 * head, and the output layer tied to the token table.
 *
 * @internal
 */
export function geluTransformerArchitecture(
  config: ResolvedTransformerConfig,
): TransformerArchitecture {
  return {
    norm: 'layer',
    positions: 'learned',
    feedForward: config.activation,
    linearBias: true,
    numKeyValueHeads: config.numHeads,
    ropeTheta: 0,
    tiedOutput: true,
  };
}
