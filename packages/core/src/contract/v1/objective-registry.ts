import { DuplicateObjectiveError } from '../../errors/duplicate-objective-error';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { ObjectiveNotFoundError } from '../../errors/objective-not-found-error';
import { UnsupportedSpecificationVersionError } from '../../errors/unsupported-specification-version-error';
import { checkBoolean } from '../../validation/check-boolean';
import { checkOptionKeys } from '../../validation/check-option-keys';
import { checkObjectiveDeclaration } from './check-objective-declaration';
import type { LossObjective } from './loss-objective-v1';
import { SUPPORTED_SPECIFICATION_VERSIONS } from './specification-version';

/** A set of objectives by id, for tools that pick an objective by name (CLIs, configs, the demo). */
export interface ObjectiveRegistry {
  /**
   * Adds an objective, after checking it as {@link resolveObjective} does (the declaration
   * `defineObjective` requires, and a supported contract version:
   * {@link UnsupportedSpecificationVersionError}). Refuses an id already present
   * ({@link DuplicateObjectiveError}) unless `options.replace` is `true`; `options` may have no
   * other key, and `replace` must be a boolean.
   */
  register(objective: LossObjective, options?: { replace?: boolean }): void;
  /** The objective with this id; throws {@link ObjectiveNotFoundError} listing the ids present. */
  get(objectiveId: string): LossObjective;
  /** Whether an objective with this id is registered. */
  has(objectiveId: string): boolean;
  /** Removes an objective; returns whether it was present. */
  unregister(objectiveId: string): boolean;
  /** Every registered objective, sorted by id. */
  list(): LossObjective[];
}

/**
 * Checks that `value` is an objective this copy of core can use, and returns it: an object with an
 * `objectiveId` and a supported `specificationVersion`, and the same declaration `defineObjective`
 * requires (id pattern, description, part names, batch fields, `createBatch`, `computeLoss`,
 * `trainableWeights`, `dispose`, and `explainBatch` when present). Use it wherever a plugin enters
 * from outside; every registry runs it on `register`.
 *
 * @throws {InvalidArgumentError} naming the member (`objective.computeLoss`…).
 * @throws {UnsupportedSpecificationVersionError} for a contract version this copy does not accept.
 */
export function resolveObjective(value: unknown, functionName = 'resolveObjective'): LossObjective {
  if (
    value == null ||
    typeof value !== 'object' ||
    typeof (value as LossObjective).objectiveId !== 'string'
  ) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'objective',
      expected: 'a LossObjective (made with defineObjective or a create…Objective factory)',
      received: value,
      fix: 'pass the objective object itself, e.g. createBertObjective({ … }).',
    });
  }
  const objective = value as LossObjective;
  const version: unknown = objective.specificationVersion;
  if (!(SUPPORTED_SPECIFICATION_VERSIONS as readonly unknown[]).includes(version)) {
    throw new UnsupportedSpecificationVersionError({
      functionName,
      objectiveId: objective.objectiveId,
      receivedVersion: version,
      supportedVersions: SUPPORTED_SPECIFICATION_VERSIONS,
    });
  }
  checkObjectiveDeclaration(
    { functionName, argumentName: 'objective' },
    value as Record<string, unknown>,
    false,
  );
  return objective;
}

/** The options of {@link ObjectiveRegistry.register}, checked: `replace` must be a boolean. */
function resolveRegisterOptions(options: unknown): { replace: boolean } {
  const functionName = 'registerObjective';
  checkOptionKeys(functionName, options, ['replace']);
  const given = (options ?? {}) as { replace?: unknown };
  return {
    replace: checkBoolean({ functionName, argumentName: 'options.replace' }, given.replace, false),
  };
}

/** Creates an empty, independent {@link ObjectiveRegistry}. */
export function createObjectiveRegistry(): ObjectiveRegistry {
  const objectives = new Map<string, LossObjective>();
  return {
    register(objective, options) {
      const { replace } = resolveRegisterOptions(options);
      const resolved = resolveObjective(objective, 'registerObjective');
      if (objectives.has(resolved.objectiveId) && !replace) {
        throw new DuplicateObjectiveError({
          functionName: 'registerObjective',
          objectiveId: resolved.objectiveId,
        });
      }
      objectives.set(resolved.objectiveId, resolved);
    },
    get(objectiveId) {
      const objective = objectives.get(objectiveId);
      if (!objective) {
        throw new ObjectiveNotFoundError({
          functionName: 'getObjective',
          objectiveId,
          availableObjectiveIds: [...objectives.keys()].sort((a, b) => a.localeCompare(b)),
        });
      }
      return objective;
    },
    has: (objectiveId) => objectives.has(objectiveId),
    unregister: (objectiveId) => objectives.delete(objectiveId),
    list: () => [...objectives.values()].sort((a, b) => a.objectiveId.localeCompare(b.objectiveId)),
  };
}

const DEFAULT_REGISTRY_KEY = Symbol.for('lm-objectives.default-objective-registry');

/**
 * The process-wide registry behind {@link registerObjective} and friends. It lives on `globalThis`
 * under a `Symbol.for` key, so two copies of `@lm-objectives/core` share it.
 */
export function defaultObjectiveRegistry(): ObjectiveRegistry {
  const holder = globalThis as { [DEFAULT_REGISTRY_KEY]?: ObjectiveRegistry };
  holder[DEFAULT_REGISTRY_KEY] ??= createObjectiveRegistry();
  return holder[DEFAULT_REGISTRY_KEY];
}

/** Registers an objective in the default registry (see {@link ObjectiveRegistry.register}). */
export function registerObjective(objective: LossObjective, options?: { replace?: boolean }): void {
  defaultObjectiveRegistry().register(objective, options);
}

/** The objective with this id from the default registry (see {@link ObjectiveRegistry.get}). */
export function getObjective(objectiveId: string): LossObjective {
  return defaultObjectiveRegistry().get(objectiveId);
}

/** Whether the default registry holds this id. */
export function hasObjective(objectiveId: string): boolean {
  return defaultObjectiveRegistry().has(objectiveId);
}

/** Removes an objective from the default registry; returns whether it was present. */
export function unregisterObjective(objectiveId: string): boolean {
  return defaultObjectiveRegistry().unregister(objectiveId);
}

/** Every objective in the default registry, sorted by id. */
export function listObjectives(): LossObjective[] {
  return defaultObjectiveRegistry().list();
}
