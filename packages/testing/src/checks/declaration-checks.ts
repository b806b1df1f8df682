import {
  describeValue,
  OBJECTIVE_ID_PATTERN,
  SUPPORTED_SPECIFICATION_VERSIONS,
} from '@lm-objectives/core';
import type { ConformanceCheck } from '../conformance-check';
import { fail, failIfAny } from '../internal/check-outcome';

/** `specificationVersion` is a version this copy of core accepts. */
export const specificationVersionCheck: ConformanceCheck = {
  id: 'specification-version',
  title: "declares specificationVersion 'v1'",
  run({ objective }) {
    const version: unknown = objective.specificationVersion;
    if (!(SUPPORTED_SPECIFICATION_VERSIONS as readonly unknown[]).includes(version)) {
      fail(
        `specificationVersion is ${describeValue(version)}; this @lm-objectives/core accepts ${SUPPORTED_SPECIFICATION_VERSIONS.map((v) => `'${v}'`).join(', ')}. Build the objective with defineObjective (which sets it), or set specificationVersion: 'v1' and implement the v1 contract.`,
      );
    }
    return undefined;
  },
};

/** `objectiveId` is `scope/name` in lowercase kebab case. */
export const objectiveIdCheck: ConformanceCheck = {
  id: 'objective-id',
  title: "has an objectiveId 'scope/name' in lowercase kebab case",
  run({ objective }) {
    const id: unknown = objective.objectiveId;
    if (typeof id !== 'string' || !OBJECTIVE_ID_PATTERN.test(id)) {
      fail(
        `objectiveId is ${describeValue(id)}; expected 'scope/name' in lowercase letters, digits and dashes, e.g. 'acme/replaced-token-detection'. Use your package scope or name, a slash, and the objective's name.`,
      );
    }
    return undefined;
  },
};

/** The description, part names, field declarations and methods are all present and well-formed. */
export const declarationCheck: ConformanceCheck = {
  id: 'declaration',
  title: 'declares a description, distinct part names, batch fields and the v1 methods',
  run({ objective }) {
    const problems: string[] = [];
    if (typeof objective.description !== 'string' || objective.description.trim() === '') {
      problems.push(
        `description is ${describeValue(objective.description)}: say in one sentence what the objective trains.`,
      );
    }
    const parts: unknown = objective.partNames;
    if (
      !Array.isArray(parts) ||
      parts.length === 0 ||
      new Set(parts).size !== parts.length ||
      parts.some((name) => typeof name !== 'string' || name === '')
    ) {
      problems.push(
        `partNames is ${describeValue(parts)}: list the loss parts once each, e.g. ['maskedLm', 'nextSentence'].`,
      );
    }
    const fields: unknown = objective.batchFields;
    if (fields == null || typeof fields !== 'object' || Object.keys(fields).length === 0) {
      problems.push(
        `batchFields is ${describeValue(fields)}: declare every field as { dtype, dimensions, description }.`,
      );
    } else {
      for (const [name, spec] of Object.entries(fields as Record<string, unknown>)) {
        const field = spec as { dtype?: unknown; dimensions?: unknown; description?: unknown };
        if (
          !['int32', 'float32', 'bool'].includes(field?.dtype as string) ||
          !Array.isArray(field?.dimensions) ||
          field.dimensions.some((dimension) => typeof dimension !== 'string') ||
          typeof field?.description !== 'string'
        ) {
          problems.push(
            `batchFields.${name} is ${describeValue(spec)}: declare { dtype: 'int32' | 'float32' | 'bool', dimensions: string[], description: string }.`,
          );
        }
      }
    }
    for (const method of ['createBatch', 'computeLoss', 'trainableWeights', 'dispose'] as const) {
      if (typeof objective[method] !== 'function') {
        problems.push(`${method} is ${describeValue(objective[method])}: implement it.`);
      }
    }
    if (objective.explainBatch !== undefined && typeof objective.explainBatch !== 'function') {
      problems.push('explainBatch is present but not a function: implement it or leave it out.');
    }
    if (typeof objective.trainableWeights === 'function') {
      const weights: unknown = objective.trainableWeights();
      if (
        !Array.isArray(weights) ||
        weights.some(
          (weight) =>
            weight == null || typeof (weight as { assign?: unknown }).assign !== 'function',
        )
      ) {
        problems.push(
          `trainableWeights() returned ${describeValue(weights)}: return an array of tf.Variable (empty when the objective owns none).`,
        );
      }
    }
    failIfAny(problems, 'The declaration is incomplete:');
    return undefined;
  },
};
