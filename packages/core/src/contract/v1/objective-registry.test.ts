import { afterEach, describe, expect, it } from 'vitest';
import { DuplicateObjectiveError } from '../../errors/duplicate-objective-error';
import { InvalidArgumentError } from '../../errors/invalid-argument-error';
import { LmObjectivesError } from '../../errors/lm-objectives-error';
import { ObjectiveNotFoundError } from '../../errors/objective-not-found-error';
import { UnsupportedSpecificationVersionError } from '../../errors/unsupported-specification-version-error';
import { defineObjective } from './define-objective';
import type { LossObjective } from './loss-objective-v1';
import {
  createObjectiveRegistry,
  defaultObjectiveRegistry,
  getObjective,
  hasObjective,
  listObjectives,
  type ObjectiveRegistry,
  registerObjective,
  resolveObjective,
  unregisterObjective,
} from './objective-registry';

/** A minimal valid objective; its data and tensor sides are never called here. */
function makeObjective(objectiveId: string, description = 'A test objective.'): LossObjective {
  return defineObjective({
    objectiveId,
    description,
    partNames: ['main'],
    batchFields: { ids: { dtype: 'int32', dimensions: ['batch'], description: 'ids' } },
    createBatch: () => {
      throw new Error('not used');
    },
    computeLoss: () => {
      throw new Error('not used');
    },
  });
}

/** What a plugin built for a future contract would look like. */
function futureObjective(objectiveId: string): LossObjective {
  return { ...makeObjective(objectiveId), specificationVersion: 'v2' } as unknown as LossObjective;
}

/** Runs `action`, which must throw, and returns what it threw. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

describe('createObjectiveRegistry', () => {
  it('registers, gets, has, lists sorted by id and unregisters', () => {
    const registry = createObjectiveRegistry();
    const glm = makeObjective('glm/blank-infilling');
    const bert = makeObjective('bert/mlm-nsp');
    const lora = makeObjective('lora/conditional-lm');
    expect(registry.list()).toEqual([]);
    registry.register(glm);
    registry.register(lora);
    registry.register(bert);
    expect(registry.get('bert/mlm-nsp')).toBe(bert);
    expect(registry.get('glm/blank-infilling')).toBe(glm);
    expect(registry.has('lora/conditional-lm')).toBe(true);
    expect(registry.has('lora/conditional')).toBe(false);
    expect(registry.list().map((objective) => objective.objectiveId)).toEqual([
      'bert/mlm-nsp',
      'glm/blank-infilling',
      'lora/conditional-lm',
    ]);
    expect(registry.unregister('glm/blank-infilling')).toBe(true);
    expect(registry.unregister('glm/blank-infilling')).toBe(false);
    expect(registry.has('glm/blank-infilling')).toBe(false);
    expect(registry.list()).toEqual([bert, lora]);
  });

  it('returns a new array from list, so changing it does not change the registry', () => {
    const registry = createObjectiveRegistry();
    registry.register(makeObjective('acme/one'));
    registry.list().pop();
    expect(registry.list()).toHaveLength(1);
  });

  it('keeps registries independent of each other', () => {
    const first = createObjectiveRegistry();
    const second = createObjectiveRegistry();
    first.register(makeObjective('acme/one'));
    expect(second.has('acme/one')).toBe(false);
    expect(second.list()).toEqual([]);
  });

  it('refuses a duplicate id with a DuplicateObjectiveError naming the id, and keeps the first', () => {
    const registry = createObjectiveRegistry();
    const original = makeObjective('bert/mlm-nsp', 'The original.');
    registry.register(original);
    const error = thrownBy(() =>
      registry.register(makeObjective('bert/mlm-nsp', 'A second copy.')),
    );
    expect(DuplicateObjectiveError.isInstance(error)).toBe(true);
    expect(LmObjectivesError.isInstance(error)).toBe(true);
    const duplicate = error as DuplicateObjectiveError;
    expect(duplicate.objectiveId).toBe('bert/mlm-nsp');
    expect(duplicate.message).toContain(
      "registerObjective: an objective with id 'bert/mlm-nsp' is already registered",
    );
    expect(duplicate.message).toContain('Expected an id not yet in the registry');
    expect(duplicate.message).toContain('Fix: ');
    expect(registry.get('bert/mlm-nsp')).toBe(original);
  });

  it('replaces an objective when asked to with replace: true', () => {
    const registry = createObjectiveRegistry();
    registry.register(makeObjective('bert/mlm-nsp', 'The original.'));
    const replacement = makeObjective('bert/mlm-nsp', 'The replacement.');
    registry.register(replacement, { replace: true });
    expect(registry.get('bert/mlm-nsp')).toBe(replacement);
    expect(registry.list()).toEqual([replacement]);
    // replace: false behaves like the default.
    expect(
      DuplicateObjectiveError.isInstance(
        thrownBy(() => registry.register(replacement, { replace: false })),
      ),
    ).toBe(true);
  });

  it('throws ObjectiveNotFoundError for an unknown id, listing the available ids sorted', () => {
    const registry = createObjectiveRegistry();
    registry.register(makeObjective('glm/blank-infilling'));
    registry.register(makeObjective('bert/mlm-nsp'));
    const error = thrownBy(() => registry.get('bert/mlm'));
    expect(ObjectiveNotFoundError.isInstance(error)).toBe(true);
    const notFound = error as ObjectiveNotFoundError;
    expect(notFound.objectiveId).toBe('bert/mlm');
    expect(notFound.availableObjectiveIds).toEqual(['bert/mlm-nsp', 'glm/blank-infilling']);
    expect(notFound.message).toContain(
      "getObjective: no objective with id 'bert/mlm' is registered",
    );
    expect(notFound.message).toContain("Expected one of 'bert/mlm-nsp', 'glm/blank-infilling'");
    expect(notFound.message).toContain("received 'bert/mlm'");
    expect(notFound.message).toContain('Fix: ');
  });

  it('says the registry is empty when nothing is registered', () => {
    const error = thrownBy(() => createObjectiveRegistry().get('bert/mlm-nsp'));
    expect(ObjectiveNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Expected one of none (the registry is empty)');
  });

  it("refuses specificationVersion 'v2' with an error listing the accepted 'v1'", () => {
    const registry = createObjectiveRegistry();
    const error = thrownBy(() => registry.register(futureObjective('acme/future')));
    expect(UnsupportedSpecificationVersionError.isInstance(error)).toBe(true);
    const unsupported = error as UnsupportedSpecificationVersionError;
    expect(unsupported.receivedVersion).toBe('v2');
    expect(unsupported.supportedVersions).toEqual(['v1']);
    expect(unsupported.objectiveId).toBe('acme/future');
    expect(unsupported.message).toContain(
      'registerObjective: objective \'acme/future\' declares specificationVersion "v2"',
    );
    expect(unsupported.message).toContain("Expected one of 'v1'.");
    expect(unsupported.message).toContain('Fix: ');
    expect(registry.has('acme/future')).toBe(false);
  });

  it('refuses an objective without a specificationVersion', () => {
    const { specificationVersion: _, ...unversioned } = makeObjective('acme/old');
    const error = thrownBy(() =>
      createObjectiveRegistry().register(unversioned as unknown as LossObjective),
    );
    expect(UnsupportedSpecificationVersionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('declares specificationVersion undefined');
  });

  it.each([
    ['null', null, 'received null'],
    ['a string', 'bert/mlm-nsp', 'received "bert/mlm-nsp"'],
    ['a number', 42, 'received 42'],
    ['an object without objectiveId', { specificationVersion: 'v1' }, 'received an object'],
  ])('refuses %s with an InvalidArgumentError', (_, value, received) => {
    const registry = createObjectiveRegistry();
    const error = thrownBy(() => registry.register(value as unknown as LossObjective));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    const invalid = error as InvalidArgumentError;
    expect(invalid.functionName).toBe('registerObjective');
    expect(invalid.argumentName).toBe('objective');
    expect(invalid.message).toContain("registerObjective: argument 'objective' is invalid.");
    expect(invalid.message).toContain('Expected a LossObjective');
    expect(invalid.message).toContain(received);
    expect(invalid.message).toContain('Fix: ');
    expect(registry.list()).toEqual([]);
  });
});

describe('resolveObjective', () => {
  it('returns a supported objective unchanged', () => {
    const objective = makeObjective('acme/one');
    expect(resolveObjective(objective)).toBe(objective);
  });

  it('names itself in its errors unless given another function name', () => {
    const invalid = thrownBy(() => resolveObjective(undefined)) as InvalidArgumentError;
    expect(invalid.functionName).toBe('resolveObjective');
    const unsupported = thrownBy(() =>
      resolveObjective(futureObjective('acme/future'), 'createTrainer'),
    ) as UnsupportedSpecificationVersionError;
    expect(unsupported.functionName).toBe('createTrainer');
  });
});

describe('the default registry', () => {
  const DEFAULT_REGISTRY_KEY = Symbol.for('lm-objectives.default-objective-registry');
  const holder = globalThis as { [DEFAULT_REGISTRY_KEY]?: ObjectiveRegistry };
  const ids = ['registry-test/alpha', 'registry-test/beta'];

  afterEach(() => {
    for (const id of ids) unregisterObjective(id);
  });

  it('registers, gets, has, lists and unregisters through the module functions', () => {
    const alpha = makeObjective('registry-test/alpha');
    const beta = makeObjective('registry-test/beta');
    registerObjective(beta);
    registerObjective(alpha);
    expect(hasObjective('registry-test/alpha')).toBe(true);
    expect(getObjective('registry-test/beta')).toBe(beta);
    const listed = listObjectives().filter((objective) => ids.includes(objective.objectiveId));
    expect(listed).toEqual([alpha, beta]);
    expect(unregisterObjective('registry-test/alpha')).toBe(true);
    expect(hasObjective('registry-test/alpha')).toBe(false);
    expect(unregisterObjective('registry-test/alpha')).toBe(false);
  });

  it('refuses duplicates and allows replace: true, like any registry', () => {
    registerObjective(makeObjective('registry-test/alpha'));
    expect(
      DuplicateObjectiveError.isInstance(
        thrownBy(() => registerObjective(makeObjective('registry-test/alpha'))),
      ),
    ).toBe(true);
    const replacement = makeObjective('registry-test/alpha', 'The replacement.');
    registerObjective(replacement, { replace: true });
    expect(getObjective('registry-test/alpha')).toBe(replacement);
    const notFound = thrownBy(() => getObjective('registry-test/gamma'));
    expect(ObjectiveNotFoundError.isInstance(notFound)).toBe(true);
    expect((notFound as Error).message).toContain("'registry-test/alpha'");
  });

  it('lives on globalThis under Symbol.for, so a second copy of the package shares it', () => {
    const registry = defaultObjectiveRegistry();
    expect(holder[DEFAULT_REGISTRY_KEY]).toBe(registry);
    expect(defaultObjectiveRegistry()).toBe(registry);
    // What another copy of @lm-objectives/core would do: reach the registry through the global key.
    const alpha = makeObjective('registry-test/alpha');
    holder[DEFAULT_REGISTRY_KEY]!.register(alpha);
    expect(getObjective('registry-test/alpha')).toBe(alpha);
    registerObjective(makeObjective('registry-test/beta'));
    expect(holder[DEFAULT_REGISTRY_KEY]!.has('registry-test/beta')).toBe(true);
  });

  it('creates the shared registry on first use when no copy has made one yet', () => {
    const existing = holder[DEFAULT_REGISTRY_KEY];
    delete holder[DEFAULT_REGISTRY_KEY];
    try {
      expect(hasObjective('registry-test/alpha')).toBe(false);
      const created = holder[DEFAULT_REGISTRY_KEY];
      expect(created).toBeDefined();
      expect(created!.list()).toEqual([]);
      registerObjective(makeObjective('registry-test/alpha'));
      expect(created!.has('registry-test/alpha')).toBe(true);
    } finally {
      if (existing) holder[DEFAULT_REGISTRY_KEY] = existing;
      else delete holder[DEFAULT_REGISTRY_KEY];
    }
  });
});

describe('register: the objective and the options are checked like defineObjective checks a definition', () => {
  /** A valid objective with some members replaced, the way a hand-written plugin might look. */
  function handWritten(overrides: Record<string, unknown>): LossObjective {
    return { ...makeObjective('acme/hand'), ...overrides } as unknown as LossObjective;
  }

  it.each([
    [
      'an id that is not scope/name',
      { objectiveId: 'Acme_Hand' },
      'objective.objectiveId',
      "an id 'scope/name'",
    ],
    ['a missing computeLoss', { computeLoss: undefined }, 'objective.computeLoss', 'a function'],
    [
      'a createBatch that is not a function',
      { createBatch: 'yes' },
      'objective.createBatch',
      'a function',
    ],
    ['a missing dispose', { dispose: undefined }, 'objective.dispose', 'a function'],
    [
      'a missing trainableWeights',
      { trainableWeights: undefined },
      'objective.trainableWeights',
      'a function',
    ],
    [
      'an explainBatch that is not a function',
      { explainBatch: 3 },
      'objective.explainBatch',
      'a function or undefined',
    ],
    [
      'duplicate part names',
      { partNames: ['main', 'main'] },
      'objective.partNames',
      'a non-empty array of distinct part names',
    ],
    ['a blank description', { description: ' ' }, 'objective.description', 'a non-empty sentence'],
    [
      'a field with an unknown dtype',
      { batchFields: { ids: { dtype: 'int64', dimensions: [], description: '' } } },
      'objective.batchFields.ids',
      "{ dtype: 'int32'",
    ],
  ])('refuses %s', (_, overrides, argumentName, expected) => {
    const registry = createObjectiveRegistry();
    const error = thrownBy(() => registry.register(handWritten(overrides)));
    expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
    const invalid = error as InvalidArgumentError;
    expect(invalid.functionName).toBe('registerObjective');
    expect(invalid.argumentName).toBe(argumentName);
    expect(invalid.message).toContain(`Expected ${expected}`);
    expect(registry.list()).toEqual([]);
    // resolveObjective, where a plugin enters from elsewhere, applies the same rules.
    expect(
      InvalidArgumentError.isInstance(thrownBy(() => resolveObjective(handWritten(overrides)))),
    ).toBe(true);
  });

  it("refuses the string 'replace' as options (it used to replace, since strings have .replace)", () => {
    const registry = createObjectiveRegistry();
    const first = makeObjective('acme/a');
    registry.register(first);
    const error = thrownBy(() => registry.register(makeObjective('acme/a'), 'replace' as never));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      'registerObjective: argument \'options\' is invalid. Expected an options object or undefined; received "replace".',
    );
    expect(registry.get('acme/a')).toBe(first);
  });

  it('refuses a misspelt option with a suggestion, and a replace that is not a boolean', () => {
    const registry = createObjectiveRegistry();
    registry.register(makeObjective('acme/a'));
    const misspelt = thrownBy(() =>
      registry.register(makeObjective('acme/a'), { replce: true } as never),
    ) as InvalidArgumentError;
    expect(misspelt.argumentName).toBe('options.replce');
    expect(misspelt.message).toContain("did you mean 'replace'?");
    const notBoolean = thrownBy(() =>
      registry.register(makeObjective('acme/a'), { replace: 'yes' } as never),
    ) as InvalidArgumentError;
    expect(notBoolean.argumentName).toBe('options.replace');
    expect(notBoolean.message).toContain('Expected true or false');
    registry.register(makeObjective('acme/a'), { replace: true });
    expect(registry.list()).toHaveLength(1);
  });

  it('accepts objectives with members of their own beside the contract (factories add weights, settings)', () => {
    const registry = createObjectiveRegistry();
    const extended = Object.freeze({ ...makeObjective('acme/extended'), logitBias: 1, weight: 2 });
    registry.register(extended);
    expect(registry.get('acme/extended')).toBe(extended);
  });
});
