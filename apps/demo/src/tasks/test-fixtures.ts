// Shared by the task tests: the committed corpus and tokenizer, and sizes small enough for the
// cpu backend (the demo's defaults are sized for wasm).
import { loadCorpus, loadTokenizer } from '../corpus/node';
import type { DemoTaskOptions } from './demo-task';

const corpus = loadCorpus();
const tokenizer = loadTokenizer();

/** A tiny configuration of every task: one block, H = 16, two rows of 16 tokens, 2 steps. */
export function tinyTaskOptions(seed = 3): DemoTaskOptions {
  return {
    corpus,
    tokenizer,
    seed,
    steps: 2,
    batchSize: 2,
    sequenceLength: 16,
    hiddenSize: 16,
    numLayers: 1,
    numHeads: 2,
  };
}
