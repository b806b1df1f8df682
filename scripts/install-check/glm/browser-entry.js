// A browser entry that uses @lm-objectives/glm as an application would.
import { createRng } from '@lm-objectives/core';
import { createGlmObjective } from '@lm-objectives/glm';

const objective = createGlmObjective({
  clsTokenId: 1,
  maskTokenId: 2,
  sopTokenId: 3,
  eopTokenId: 4,
  gMaskTokenId: 5,
});
const batch = objective.createBatch([Int32Array.from({ length: 24 }, (_, index) => 10 + index)], {
  random: createRng(1),
});
document.body.textContent = `${objective.objectiveId}: batch of ${batch.size}`;
