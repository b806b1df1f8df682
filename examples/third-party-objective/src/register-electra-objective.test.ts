import {
  createObjectiveRegistry,
  DuplicateObjectiveError,
  getObjective,
  listObjectives,
  unregisterObjective,
} from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { ELECTRA_OBJECTIVE_ID } from './create-electra-objective';
import { registerElectraObjective } from './register-electra-objective';

const options = { vocabularySize: 8, maskTokenId: 1, padTokenId: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('registers in the default registry, where tools find it by id', () => {
  const objective = registerElectraObjective(options);
  try {
    expect(getObjective(ELECTRA_OBJECTIVE_ID)).toBe(objective);
    expect(listObjectives()).toContain(objective);
    let duplicate: unknown;
    try {
      registerElectraObjective(options);
    } catch (error) {
      duplicate = error;
    }
    expect(DuplicateObjectiveError.isInstance(duplicate)).toBe(true);
  } finally {
    unregisterObjective(ELECTRA_OBJECTIVE_ID);
  }
});

it('registers in a registry of your own', () => {
  const registry = createObjectiveRegistry();
  const objective = registerElectraObjective(options, registry);
  expect(registry.get(ELECTRA_OBJECTIVE_ID)).toBe(objective);
  expect(registry.list().map((entry) => entry.objectiveId)).toEqual([ELECTRA_OBJECTIVE_ID]);
});
