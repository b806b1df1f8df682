// A browser entry that uses @lm-objectives/lora as an application would.
import { createRng } from '@lm-objectives/core';
import { createConditionalLmObjective } from '@lm-objectives/lora';

const objective = createConditionalLmObjective({ eosTokenId: 1 });
const batch = objective.createBatch([{ prompt: [5, 6], completion: [7] }], {
  random: createRng(1),
});
document.body.textContent = `${objective.objectiveId}: ${batch.counts[objective.partNames[0]]} scored tokens`;
