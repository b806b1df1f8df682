import {
  type BatchField,
  defineObjective,
  type LogitScores,
  type ObjectiveBatchV1,
  tokenAccuracy,
  tokenCrossEntropy,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';

/** A batch of the next-character objective: equal-length windows of character ids. */
export interface NextCharacterBatch
  extends ObjectiveBatchV1<'inputIds' | 'labels', 'nextCharacter'> {
  readonly fields: { readonly inputIds: BatchField<'int32'>; readonly labels: BatchField<'int32'> };
}

/**
 * The demo's own objective, written the way a plugin author would with `defineObjective`: plain
 * next-token prediction over windows of character ids. Labels are the inputs themselves; the
 * loss shifts them (position $t$ predicts character $t+1$), so each window of length $L$ scores
 * $L-1$ characters: $\mathcal{L} = -\frac{1}{N}\sum_t \log p(x_{t+1} \mid x_{\le t})$.
 */
export const nextCharacterObjective = defineObjective<
  Int32Array,
  NextCharacterBatch,
  LogitScores,
  'nextCharacter'
>({
  objectiveId: 'demo/next-character',
  description: 'Next-character prediction over windows of a text.',
  partNames: ['nextCharacter'],
  batchFields: {
    inputIds: {
      dtype: 'int32',
      dimensions: ['batch', 'sequence'],
      description: 'character ids of each window',
    },
    labels: {
      dtype: 'int32',
      dimensions: ['batch', 'sequence'],
      description: 'the same ids, shifted inside the loss',
    },
  },
  createBatch(windows) {
    const length = windows[0]?.length ?? 0;
    const ids = new Int32Array(windows.length * length);
    windows.forEach((window, row) => {
      if (window.length !== length)
        throw new Error('nextCharacterObjective: every window must have the same length');
      ids.set(window, row * length);
    });
    const shape = [windows.length, length];
    return {
      size: windows.length,
      dimensions: { batch: windows.length, sequence: length },
      fields: {
        inputIds: { dtype: 'int32', shape, data: ids },
        labels: { dtype: 'int32', shape, data: ids.slice() },
      },
      counts: { nextCharacter: windows.length * Math.max(length - 1, 0) },
    };
  },
  computeLoss({ outputs, batch, numItemsInBatch }) {
    const { labels } = batch.fields;
    const part = tokenCrossEntropy(outputs, labels.data, {
      shift: true,
      ...(numItemsInBatch?.nextCharacter === undefined
        ? {}
        : { numItemsInBatch: numItemsInBatch.nextCharacter }),
    });
    // Arg-max accuracy is not differentiable; it only reports.
    const accuracy = tf.tidy(
      () => tokenAccuracy(outputs.logits, labels.data, { shift: true }).accuracy,
    );
    return { loss: part.loss, parts: { nextCharacter: part }, metrics: { accuracy } };
  },
  explainBatch(batch) {
    const [rows = 0, length = 0] = batch.fields.inputIds.shape;
    const ids = batch.fields.inputIds.data;
    return {
      rows: Array.from({ length: rows }, (_, row) => ({
        tokens: Array.from({ length }, (_, position) => {
          const next = position + 1 < length ? (ids[row * length + position + 1] ?? null) : null;
          return {
            inputId: ids[row * length + position]!,
            label: next,
            weight: next === null ? 0 : 1,
            action: 'context',
            positions: [position],
            attention: '≤ self',
          };
        }),
      })),
    };
  },
});
