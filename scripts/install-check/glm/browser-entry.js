// A browser entry that uses @lm-objectives/glm as an application would.
import { createRng } from '@lm-objectives/core';
import { createGlmObjective } from '@lm-objectives/glm';

const objective = createGlmObjective({ tokens: { cls: 1, mask: 2, sop: 3, eop: 4, gMask: 5 } });
const batch = objective.createBatch([Int32Array.from({ length: 24 }, (_, index) => 10 + index)], {
  random: createRng(1),
});
document.body.textContent = `${objective.objectiveId}: batch of ${batch.size}`;
