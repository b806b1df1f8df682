import {
  createObjectiveRegistry,
  DuplicateObjectiveError,
  InvalidArgumentError,
  resolveObjective,
  SUPPORTED_SPECIFICATION_VERSIONS,
} from '@lm-objectives/core';
import type { ConformanceCheck } from '../conformance-check';
import { ConformanceSkip, describeThrown, failIfAny } from '../internal/check-outcome';

/** The objective can be registered, found, listed, refused twice, replaced and removed. */
export const registryRoundTripCheck: ConformanceCheck = {
  id: 'registry-round-trip',
  title:
    'the objective survives a registry round trip (register, get, list, duplicate refused, unregister)',
  run({ objective }) {
    if (
      !(SUPPORTED_SPECIFICATION_VERSIONS as readonly unknown[]).includes(
        objective.specificationVersion,
      )
    ) {
      throw new ConformanceSkip('depends on the specification-version check, which failed.');
    }
    const id = objective.objectiveId;
    const registry = createObjectiveRegistry();
    const problems: string[] = [];
    try {
      registry.register(objective);
    } catch (error) {
      // A registry checks the declaration as defineObjective does: the objective-id and
      // declaration checks report that problem with its fix; this check is about the round trip.
      if (InvalidArgumentError.isInstance(error)) {
        throw new ConformanceSkip(
          `depends on the objective-id and declaration checks: register refused the objective (${error.argumentName}).`,
        );
      }
      failIfAny([`register threw ${describeThrown(error)}`], 'The registry refuses the objective:');
    }
    if (registry.get(id) !== objective) problems.push(`get('${id}') did not return the objective.`);
    if (!registry.has(id)) problems.push(`has('${id}') is false after register.`);
    if (!registry.list().includes(objective))
      problems.push('list() does not contain the objective.');
    if (resolveObjective(objective) !== objective)
      problems.push('resolveObjective returned another object.');
    let duplicate: unknown;
    try {
      registry.register(objective);
    } catch (error) {
      duplicate = error;
    }
    if (!DuplicateObjectiveError.isInstance(duplicate)) {
      problems.push(`registering '${id}' twice did not throw DuplicateObjectiveError.`);
    }
    registry.register(objective, { replace: true });
    if (!registry.unregister(id) || registry.has(id))
      problems.push(`unregister('${id}') did not remove it.`);
    failIfAny(problems, 'The registry round trip failed:');
    return undefined;
  },
};
