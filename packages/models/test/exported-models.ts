// The models whose export PyTorch checks (scripts/check_exported_checkpoints.py): seeded random
// weights everywhere (biases and norm scales included), so a dropped or misplaced tensor shows.
import { createRng } from '@lm-objectives/core';
import { createBertEncoder } from '../src/models/create-bert-encoder';
import { createCausalDecoder } from '../src/models/create-causal-decoder';
import { createLlamaDecoder } from '../src/models/create-llama-decoder';
import type { TransformerModel } from '../src/models/transformer-model';
import type { WeightMap } from '../src/weights/weight-map';

const SIZES = { vocabularySize: 23, hiddenSize: 16, numLayers: 2, numHeads: 4, maxPositions: 20 };

/** Every weight redrawn: N(0, 0.4²) for kernels and tables, 1 + N(0, 0.2²) for scales, N(0, 0.1²) for offsets. */
function randomize(model: TransformerModel, seed: number): TransformerModel {
  const random = createRng(seed);
  const map: Record<string, { shape: number[]; data: Float32Array }> = {};
  for (const [name, variable] of Object.entries(model.weights)) {
    const [mean, deviation] = name.endsWith('.gamma')
      ? [1, 0.2]
      : name.endsWith('.bias') || name.endsWith('.beta') || name.endsWith('outputBias')
        ? [0, 0.1]
        : [0, 0.4];
    const data = Float32Array.from({ length: variable.size }, () => random.normal(mean, deviation));
    map[name] = { shape: [...variable.shape], data };
  }
  model.setWeights(map as WeightMap);
  return model;
}

/** The three exported cases: a BERT with the tanh GELU (config says `gelu_new`), GPT-2, a grouped-query Llama. */
export const EXPORTED_MODELS: Readonly<Record<string, () => TransformerModel>> = {
  bert: () =>
    randomize(
      createBertEncoder({
        ...SIZES,
        intermediateSize: 32,
        activation: 'gelu-tanh',
        preTrainingHeads: true,
      }) as unknown as TransformerModel,
      11,
    ),
  gpt2: () => randomize(createCausalDecoder({ ...SIZES, intermediateSize: 40 }), 12),
  llama: () =>
    randomize(
      createLlamaDecoder({
        ...SIZES,
        intermediateSize: 24,
        numKeyValueHeads: 2,
        ropeTheta: 500,
      }) as unknown as TransformerModel,
      13,
    ),
};
