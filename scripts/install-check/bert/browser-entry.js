// A browser entry that uses @lm-objectives/bert as an application would.

import { createBertObjective, createMaskedLmMasker } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';

const bert = createBertObjective({
  vocabularySize: 100,
  hiddenSize: 8,
  clsTokenId: 1,
  sepTokenId: 2,
  padTokenId: 0,
  maskTokenId: 3,
  maxLength: 16,
  padding: 'max-length',
});
const masker = createMaskedLmMasker({
  vocabularySize: 100,
  maskTokenId: 3,
  specialTokenIds: [1, 2],
  padTokenId: 0,
});
const masked = masker.mask({ inputIds: Int32Array.from([1, 5, 6, 7, 8, 2]) }, createRng(1));
document.body.textContent = `${bert.objectiveId}: ${masked.totalPredictions} predictions`;
