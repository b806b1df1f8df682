import { type ObjectiveRegistry, registerObjective } from '@lm-objectives/core';
import { createElectraObjective, type ElectraObjective } from './create-electra-objective';
import type { ElectraObjectiveOptions } from './electra-options';

/**
 * Creates the ELECTRA objective and registers it, in `registry` or in the process-wide default
 * registry (where tools that pick objectives by id, such as a trainer's config, look them up).
 *
 * @example
 * registerElectraObjective({ vocabularySize: 30522, maskTokenId: 103, padTokenId: 0 });
 * getObjective('electra/replaced-token-detection'); // the objective
 */
export function registerElectraObjective(
  options: ElectraObjectiveOptions,
  registry?: ObjectiveRegistry,
): ElectraObjective {
  const objective = createElectraObjective(options);
  if (registry) registry.register(objective);
  else registerObjective(objective);
  return objective;
}
