import type { ResolvedTransformerConfig } from './transformer-config';
import type { LinearDeclaration, TransformerSpec, WeightDeclaration } from './transformer-spec';

/** Every weight and linear of a model, before any is allocated. @internal */
export interface TransformerWeightLayout {
  /** In creation order (the order the seeded initialiser draws them in). */
  readonly weights: readonly WeightDeclaration[];
  readonly linears: readonly LinearDeclaration[];
}

/**
 * The weights a spec needs, with their shapes, without allocating any: the token table $[V, H]$,
 * the position table $[P, H]$ (learned positions), the extra tables, then per block the attention
 * projections (query $[H, n_h d]$, key and value $[H, n_{kv} d]$, output $[n_h d, H]$), the
 * feed-forward linears and the normalisations, then the final normalisation, an untied output
 * head $[V, H]$ and the kind's own head weights. Parameter counts and the Hugging Face import read
 * shapes from here, so a 1.1-billion-parameter configuration is counted without 4 GB of memory.
 *
 * @internal
 */
export function transformerWeightLayout<Config extends ResolvedTransformerConfig>(
  spec: TransformerSpec<Config>,
): TransformerWeightLayout {
  const { config, architecture } = spec;
  const { hiddenSize, numHeads, headSize, intermediateSize } = config;
  const weights: WeightDeclaration[] = [];
  const linears: LinearDeclaration[] = [...(spec.headLinears ?? [])];
  const blockLinears: LinearDeclaration[] = [];
  const declare = (name: string, shape: number[], initializer: WeightDeclaration['initializer']) =>
    weights.push({ name, shape, initializer });
  const addLinear = (name: string, inputSize: number, outputSize: number) => {
    declare(`${name}.kernel`, [inputSize, outputSize], 'truncated-normal');
    if (architecture.linearBias) declare(`${name}.bias`, [outputSize], 'zeros');
    blockLinears.push({
      name,
      kernel: `${name}.kernel`,
      ...(architecture.linearBias ? { bias: `${name}.bias` } : {}),
    });
  };
  const addNorm = (name: string) => {
    declare(`${name}.gamma`, [hiddenSize], 'ones');
    if (architecture.norm === 'layer') declare(`${name}.beta`, [hiddenSize], 'zeros');
  };
  const normName = architecture.norm === 'rms' ? 'rmsNorm' : 'layerNorm';

  declare('embeddings.token', [config.vocabularySize, hiddenSize], 'truncated-normal');
  if (architecture.positions === 'learned') {
    declare('embeddings.position', [config.maxPositions, hiddenSize], 'truncated-normal');
  }
  for (const extra of spec.extraEmbeddings) {
    declare(extra.table, [extra.rows, hiddenSize], 'truncated-normal');
  }
  if (config.normalization === 'post') addNorm(`embeddings.${normName}`);
  const keyValueSize = architecture.numKeyValueHeads * headSize;
  for (let layer = 0; layer < config.numLayers; layer++) {
    const block = `layers.${layer}`;
    addLinear(`${block}.attention.query`, hiddenSize, numHeads * headSize);
    addLinear(`${block}.attention.key`, hiddenSize, keyValueSize);
    addLinear(`${block}.attention.value`, hiddenSize, keyValueSize);
    addLinear(`${block}.attention.output`, numHeads * headSize, hiddenSize);
    addNorm(`${block}.attention.${normName}`);
    if (architecture.feedForward === 'swiglu') {
      addLinear(`${block}.feedForward.gate`, hiddenSize, intermediateSize);
    }
    addLinear(`${block}.feedForward.intermediate`, hiddenSize, intermediateSize);
    addLinear(`${block}.feedForward.output`, intermediateSize, hiddenSize);
    addNorm(`${block}.feedForward.${normName}`);
  }
  if (config.normalization === 'pre')
    addNorm(architecture.norm === 'rms' ? 'finalRmsNorm' : 'finalLayerNorm');
  if (!architecture.tiedOutput) {
    declare('outputHead.weight', [config.vocabularySize, hiddenSize], 'truncated-normal');
  }
  weights.push(...(spec.headWeights ?? []));
  return { weights, linears: [...blockLinears, ...linears] };
}

/** $\sum_w \prod_i \mathrm{shape}_w[i]$ over a layout's weights. @internal */
export function countLayoutParameters(layout: TransformerWeightLayout): number {
  return layout.weights.reduce(
    (total, weight) => total + weight.shape.reduce((product, size) => product * size, 1),
    0,
  );
}
