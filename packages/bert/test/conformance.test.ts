// The LossObjective v1 conformance suite of @lm-objectives/testing, run on the BERT objective with
// a tiny encoder (one tanh layer over the tied embedding table) on cpu and wasm.
import { createTinyLanguageModel, describeObjectiveConformance } from '@lm-objectives/testing';
import {
  type BertBatch,
  type BertModelOutputs,
  type BertPairExample,
  createBertObjective,
} from '../src/index';

const VOCABULARY_SIZE = 16;
const HIDDEN_SIZE = 4;
const [PAD, MASK, CLS, SEP] = [0, 1, 2, 3] as const;

const createObjective = () =>
  createBertObjective({
    vocabularySize: VOCABULARY_SIZE,
    hiddenSize: HIDDEN_SIZE,
    clsTokenId: CLS,
    sepTokenId: SEP,
    padTokenId: PAD,
    maskTokenId: MASK,
    // Twice the default rate, so that every short fixture row gets masked positions.
    masking: { selectionRatio: 0.3 },
    seed: 3,
  });

/** `[CLS] A [SEP] B [SEP]` with its token types. */
function pair(a: number[], b: number[], nextSentenceLabel: 0 | 1): BertPairExample {
  const inputIds = Int32Array.from([CLS, ...a, SEP, ...b, SEP]);
  const tokenTypeIds = Int32Array.from(inputIds, (_, index) => (index <= a.length + 1 ? 0 : 1));
  return { inputIds, tokenTypeIds, nextSentenceLabel };
}

describeObjectiveConformance<BertPairExample, BertBatch, BertModelOutputs>(
  'bert/mlm-nsp',
  createObjective,
  () => {
    const encoder = createTinyLanguageModel({
      vocabularySize: VOCABULARY_SIZE,
      hiddenSize: HIDDEN_SIZE,
      seed: 5,
    });
    return {
      examples: [
        pair([4, 5, 6, 7], [8, 9, 10], 0),
        pair([11, 12, 13], [14, 15, 4, 5, 6], 1),
        pair([7, 8], [9, 10, 11, 12], 0),
      ],
      // Only [CLS] and [SEP]s, which are never selected: the masked-LM part counts zero.
      zeroCountExamples: [pair([], [], 0), pair([], [], 1)],
      invalidExamples: [
        { description: 'a token id outside the vocabulary', examples: [pair([4, 99], [5], 0)] },
      ],
      model: {
        // The encoder's own layers; its untied output layer is not used by BERT's tied head.
        variables: [encoder.embeddingTable, encoder.mixingKernel, encoder.mixingBias],
        apply: (batch) => ({
          hiddenStates: encoder.hiddenStates(batch.fields.inputIds),
          embeddingTable: encoder.embeddingTable,
        }),
        dispose: encoder.dispose,
      },
    };
  },
);
