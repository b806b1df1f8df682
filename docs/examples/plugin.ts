// A complete third-party objective plugin: causal language modelling over documents of unequal
// length, right-padded, with padding never scored. Written against the public packages only.
// Run it: `node --import tsx plugin.ts` (or compile it with tsc). It trains a tiny decoder briefly.

import {
  type BatchField,
  checkOptionKeys,
  createRng,
  defineObjective,
  getObjective,
  IGNORE_INDEX,
  InvalidArgumentError,
  type ObjectiveBatchV1,
  registerObjective,
  type TokenScores,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import { createCausalDecoder } from '@lm-objectives/models';
import { createTrainer } from '@lm-objectives/trainer';
import * as tf from '@tensorflow/tfjs';

/** The batch: token ids right-padded to the longest document, and labels with padding ignored. */
export interface DocumentLmBatch
  extends ObjectiveBatchV1<'inputIds' | 'labels' | 'attentionMask', 'causalLm'> {
  readonly fields: {
    readonly inputIds: BatchField<'int32'>;
    readonly labels: BatchField<'int32'>;
    readonly attentionMask: BatchField<'int32'>;
  };
}

/** Options of {@link createDocumentLmObjective}. */
export interface DocumentLmOptions {
  /** Id written at padding positions (never scored: its labels are −100). Default 0. */
  readonly padTokenId?: number;
}

/**
 * Causal LM over whole documents: $L = -\frac{1}{N}\sum_t \log p(x_{t+1} \mid x_{\le t})$ over
 * the real (non-padding) positions, shifted inside core's loss.
 */
export function createDocumentLmObjective(options: DocumentLmOptions = {}) {
  checkOptionKeys('createDocumentLmObjective', options, ['padTokenId']);
  const padTokenId = options.padTokenId ?? 0;
  return defineObjective<readonly number[], DocumentLmBatch, TokenScores, 'causalLm'>({
    objectiveId: 'acme/document-lm',
    description: 'Causal language modelling over right-padded documents.',
    partNames: ['causalLm'],
    batchFields: {
      inputIds: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: 'token ids, right-padded',
      },
      labels: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: 'the ids; −100 on padding',
      },
      attentionMask: {
        dtype: 'int32',
        dimensions: ['batch', 'sequence'],
        description: '1 real, 0 padding',
      },
    },
    // Data side: typed arrays only, deterministic (this objective draws no random numbers).
    createBatch(documents) {
      if (documents.some((document) => document.length < 2)) {
        throw new InvalidArgumentError({
          functionName: 'acme/document-lm createBatch',
          argumentName: 'examples',
          expected: 'documents of at least 2 tokens (one prediction each)',
          received: documents.map((document) => document.length),
          fix: 'drop documents shorter than 2 tokens before batching.',
        });
      }
      const length = Math.max(...documents.map((document) => document.length));
      const size = documents.length * length;
      const inputIds = new Int32Array(size).fill(padTokenId);
      const labels = new Int32Array(size).fill(IGNORE_INDEX);
      const attentionMask = new Int32Array(size);
      let scored = 0;
      documents.forEach((document, row) => {
        inputIds.set(document, row * length);
        labels.set(document, row * length);
        attentionMask.fill(1, row * length, row * length + document.length);
        scored += document.length - 1; // the shift leaves the last real token without a target
      });
      const shape = [documents.length, length];
      return {
        size: documents.length,
        dimensions: { batch: documents.length, sequence: length },
        fields: {
          inputIds: { dtype: 'int32', shape, data: inputIds },
          labels: { dtype: 'int32', shape, data: labels },
          attentionMask: { dtype: 'int32', shape, data: attentionMask },
        },
        counts: { causalLm: scored },
      };
    },
    // Tensor side: logits, or hidden states + projection (then the fused loss is used).
    computeLoss({ outputs, batch, numItemsInBatch }) {
      const part = tokenCrossEntropy(outputs, batch.fields.labels.data, {
        shift: true,
        ...(numItemsInBatch?.causalLm === undefined
          ? {}
          : { numItemsInBatch: numItemsInBatch.causalLm }),
      });
      return { loss: part.loss, parts: { causalLm: part }, metrics: {} };
    },
  });
}

// Register it so that tools can find it by id.
registerObjective(createDocumentLmObjective());
const objective = getObjective('acme/document-lm');

tf.env().set('PROD', true);
await tf.setBackend('cpu');

const model = createCausalDecoder({
  vocabularySize: 16,
  hiddenSize: 16,
  numLayers: 1,
  numHeads: 2,
  seed: 1,
});
const trainer = createTrainer({
  objective,
  model: {
    variables: model.variables,
    inputFields: ['inputIds', 'attentionMask'],
    apply: ({ tensors }) => {
      const { inputIds, attentionMask } = tensors;
      if (!inputIds || !attentionMask) throw new Error('missing batch fields');
      const { hiddenStates, projection } = model.apply({ inputIds, attentionMask });
      return { hiddenStates, projection };
    },
  },
  learningRate: 1e-2,
  seed: 1,
});

const random = createRng(5);
const documents = Array.from({ length: 32 }, () => {
  const start = random.int(1, 15);
  return Array.from({ length: random.int(4, 10) }, (_, t) => 1 + ((start + t) % 15));
});
await trainer.train({
  totalSteps: 30,
  nextWindow: ({ createBatch }) => [
    createBatch(documents.slice(0, 8)),
    createBatch(documents.slice(8, 16)),
  ],
  onProgress: ({ step, loss }) => {
    if (step % 5 === 0) console.log(`step ${step} loss ${loss.toFixed(4)}`);
  },
});
trainer.dispose();
model.dispose();
