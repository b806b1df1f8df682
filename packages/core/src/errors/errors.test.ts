import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeValue } from './describe-value';
import { DuplicateObjectiveError } from './duplicate-objective-error';
import { formatArgumentProblem, InvalidArgumentError } from './invalid-argument-error';
import { LmObjectivesError } from './lm-objectives-error';
import { ObjectiveNotFoundError } from './objective-not-found-error';
import { ShapeMismatchError } from './shape-mismatch-error';
import { UnsupportedSpecificationVersionError } from './unsupported-specification-version-error';

const problem = {
  functionName: 'crossEntropy',
  argumentName: 'options.labelSmoothing',
  expected: 'a finite number in [0, 1]',
  received: 1.5,
  fix: 'pass ε between 0 and 1.',
};

/** One instance of every error class, keyed by class name. */
function oneOfEach() {
  return {
    LmObjectivesError: new LmObjectivesError('base'),
    InvalidArgumentError: new InvalidArgumentError(problem),
    ShapeMismatchError: new ShapeMismatchError(problem),
    DuplicateObjectiveError: new DuplicateObjectiveError({
      functionName: 'registerObjective',
      objectiveId: 'acme/a',
    }),
    ObjectiveNotFoundError: new ObjectiveNotFoundError({
      functionName: 'getObjective',
      objectiveId: 'acme/b',
      availableObjectiveIds: [],
    }),
    UnsupportedSpecificationVersionError: new UnsupportedSpecificationVersionError({
      functionName: 'registerObjective',
      receivedVersion: 'v2',
      supportedVersions: ['v1'],
    }),
  };
}

type ErrorName = keyof ReturnType<typeof oneOfEach>;

const CLASSES: Record<ErrorName, { isInstance(error: unknown): boolean }> = {
  LmObjectivesError,
  InvalidArgumentError,
  ShapeMismatchError,
  DuplicateObjectiveError,
  ObjectiveNotFoundError,
  UnsupportedSpecificationVersionError,
};

/** Which instances each class's `isInstance` must accept (itself and its subclasses). */
const ACCEPTS: Record<ErrorName, readonly ErrorName[]> = {
  LmObjectivesError: [
    'LmObjectivesError',
    'InvalidArgumentError',
    'ShapeMismatchError',
    'DuplicateObjectiveError',
    'ObjectiveNotFoundError',
    'UnsupportedSpecificationVersionError',
  ],
  InvalidArgumentError: ['InvalidArgumentError', 'ShapeMismatchError'],
  ShapeMismatchError: ['ShapeMismatchError'],
  DuplicateObjectiveError: ['DuplicateObjectiveError'],
  ObjectiveNotFoundError: ['ObjectiveNotFoundError'],
  UnsupportedSpecificationVersionError: ['UnsupportedSpecificationVersionError'],
};

describe('error classes: isInstance', () => {
  const instances = oneOfEach();
  const names = Object.keys(CLASSES) as ErrorName[];

  for (const className of names) {
    for (const instanceName of names) {
      const accepted = ACCEPTS[className].includes(instanceName);
      it(`${className}.isInstance ${accepted ? 'accepts' : 'rejects'} a ${instanceName}`, () => {
        expect(CLASSES[className].isInstance(instances[instanceName])).toBe(accepted);
      });
    }

    it(`${className}.isInstance rejects plain errors and non-errors`, () => {
      const isInstance = CLASSES[className].isInstance;
      expect(isInstance(new Error('plain'))).toBe(false);
      expect(isInstance(new TypeError('type'))).toBe(false);
      expect(isInstance(undefined)).toBe(false);
      expect(isInstance(null)).toBe(false);
      expect(isInstance('InvalidArgumentError')).toBe(false);
      expect(isInstance({ name: className, message: 'looks alike' })).toBe(false);
    });
  }

  it('keeps instanceof working within one copy, along the class hierarchy', () => {
    expect(instances.ShapeMismatchError).toBeInstanceOf(InvalidArgumentError);
    expect(instances.ShapeMismatchError).toBeInstanceOf(LmObjectivesError);
    expect(instances.ShapeMismatchError).toBeInstanceOf(Error);
    expect(instances.DuplicateObjectiveError).toBeInstanceOf(LmObjectivesError);
  });

  it('sets each error name to its class name', () => {
    for (const [name, error] of Object.entries(instances)) expect(error.name).toBe(name);
  });
});

describe('error classes: recognised across copies of the package', () => {
  it('recognises an object carrying the Symbol.for markers of another copy', () => {
    // What a second, duplicate install of @lm-objectives/core would throw: a different class, but
    // the same global symbols.
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('lm-objectives.error')]: true,
      [Symbol.for('lm-objectives.error.invalid-argument')]: true,
    });
    expect(foreign).not.toBeInstanceOf(InvalidArgumentError);
    expect(LmObjectivesError.isInstance(foreign)).toBe(true);
    expect(InvalidArgumentError.isInstance(foreign)).toBe(true);
    expect(ShapeMismatchError.isInstance(foreign)).toBe(false);
    expect(DuplicateObjectiveError.isInstance(foreign)).toBe(false);
  });

  it('recognises a plain object with the markers, and each marker on its own', () => {
    const plain = {
      [Symbol.for('lm-objectives.error')]: true,
      [Symbol.for('lm-objectives.error.objective-not-found')]: true,
    };
    expect(LmObjectivesError.isInstance(plain)).toBe(true);
    expect(ObjectiveNotFoundError.isInstance(plain)).toBe(true);
    expect(InvalidArgumentError.isInstance(plain)).toBe(false);
  });

  it('requires the marker value to be exactly true', () => {
    expect(LmObjectivesError.isInstance({ [Symbol.for('lm-objectives.error')]: false })).toBe(
      false,
    );
    expect(LmObjectivesError.isInstance({ [Symbol.for('lm-objectives.error')]: 'true' })).toBe(
      false,
    );
    // A local (non-registered) symbol with the same description is not the marker.
    expect(LmObjectivesError.isInstance({ [Symbol('lm-objectives.error')]: true })).toBe(false);
  });

  it('puts the markers on real instances under the global symbols', () => {
    const error = new ShapeMismatchError(problem) as unknown as Record<symbol, unknown>;
    expect(error[Symbol.for('lm-objectives.error')]).toBe(true);
    expect(error[Symbol.for('lm-objectives.error.invalid-argument')]).toBe(true);
    expect(error[Symbol.for('lm-objectives.error.shape-mismatch')]).toBe(true);
  });
});

describe('InvalidArgumentError', () => {
  it('formats "fn: argument \'arg\' is invalid. Expected …; received …. Fix: …"', () => {
    const error = new InvalidArgumentError(problem);
    expect(error.message).toBe(
      "crossEntropy: argument 'options.labelSmoothing' is invalid. Expected a finite number in [0, 1]; received 1.5. Fix: pass ε between 0 and 1.",
    );
    expect(formatArgumentProblem(problem)).toBe(error.message);
  });

  it('exposes the facts of the message as fields, keeping the received value itself', () => {
    const received = [1, 2, 3];
    const error = new InvalidArgumentError({ ...problem, received });
    expect(error.functionName).toBe('crossEntropy');
    expect(error.argumentName).toBe('options.labelSmoothing');
    expect(error.expected).toBe('a finite number in [0, 1]');
    expect(error.received).toBe(received);
    expect(error.fix).toBe('pass ε between 0 and 1.');
  });

  it('uses receivedDescription instead of describing the value', () => {
    const error = new InvalidArgumentError({
      ...problem,
      received: 'ignore_index',
      receivedDescription: "an unknown option 'ignore_index'",
    });
    expect(error.message).toContain("; received an unknown option 'ignore_index'. Fix: ");
  });

  it('describes the received value rather than serialising it whole', () => {
    const error = new InvalidArgumentError({ ...problem, received: new Array(10_000).fill(7) });
    expect(error.message).toContain('received array of length 10000 [7, 7, 7, 7, 7, 7, …].');
    expect(error.message.length).toBeLessThan(300);
  });

  it('keeps a cause and accepts a replacement message', () => {
    const cause = new Error('root');
    const error = new InvalidArgumentError(problem, { cause, message: 'custom' });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('custom');
    expect(error.fix).toBe(problem.fix);
  });
});

describe('ShapeMismatchError', () => {
  it('says the argument "has the wrong shape" in the same format, and is an InvalidArgumentError', () => {
    const error = new ShapeMismatchError({
      functionName: 'linear',
      argumentName: 'kernel',
      expected: 'a kernel of shape [4, out]',
      received: [1, 2],
      fix: 'transpose it.',
    });
    expect(error.message).toBe(
      "linear: argument 'kernel' has the wrong shape. Expected a kernel of shape [4, out]; received array of length 2 [1, 2]. Fix: transpose it.",
    );
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.argumentName).toBe('kernel');
  });
});

describe('registry errors', () => {
  it('DuplicateObjectiveError names the function and the id, and says how to fix it', () => {
    const error = new DuplicateObjectiveError({
      functionName: 'registerObjective',
      objectiveId: 'bert/mlm-nsp',
    });
    expect(error.objectiveId).toBe('bert/mlm-nsp');
    expect(error.message).toMatch(/^registerObjective: /);
    expect(error.message).toContain("'bert/mlm-nsp' is already registered");
    expect(error.message).toContain('Expected ');
    expect(error.message).toContain('Fix: ');
  });

  it('ObjectiveNotFoundError lists the available ids, or says the registry is empty', () => {
    const error = new ObjectiveNotFoundError({
      functionName: 'getObjective',
      objectiveId: 'bert/mlm',
      availableObjectiveIds: ['bert/mlm-nsp', 'glm/blank-infilling'],
    });
    expect(error.message).toContain("no objective with id 'bert/mlm'");
    expect(error.message).toContain("Expected one of 'bert/mlm-nsp', 'glm/blank-infilling'");
    expect(error.availableObjectiveIds).toEqual(['bert/mlm-nsp', 'glm/blank-infilling']);
    const empty = new ObjectiveNotFoundError({
      functionName: 'getObjective',
      objectiveId: 'bert/mlm',
      availableObjectiveIds: [],
    });
    expect(empty.message).toContain('none (the registry is empty)');
  });

  it('UnsupportedSpecificationVersionError names the versions received and accepted', () => {
    const error = new UnsupportedSpecificationVersionError({
      functionName: 'registerObjective',
      objectiveId: 'acme/future',
      receivedVersion: 'v2',
      supportedVersions: ['v1'],
    });
    expect(error.message).toContain('objective \'acme/future\' declares specificationVersion "v2"');
    expect(error.message).toContain("Expected one of 'v1'.");
    expect(error.message).toContain('Fix: ');
    expect(error.receivedVersion).toBe('v2');
    expect(error.supportedVersions).toEqual(['v1']);
    expect(error.functionName).toBe('registerObjective');
  });
});

describe('describeValue', () => {
  it('quotes strings and shortens long ones to 60 characters', () => {
    expect(describeValue('mean')).toBe('"mean"');
    expect(describeValue('')).toBe('""');
    const long = 'x'.repeat(100);
    const described = describeValue(long);
    expect(described).toBe(`"${'x'.repeat(57)}..."`);
    expect(described.length).toBe(62); // 60 characters plus the quotes
    expect(describeValue('y'.repeat(60))).toBe(`"${'y'.repeat(60)}"`);
  });

  it('prints numbers, booleans and bigints as themselves', () => {
    expect(describeValue(3)).toBe('3');
    expect(describeValue(-0.25)).toBe('-0.25');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(10n)).toBe('10');
  });

  it('shows the length and the first six items of an array', () => {
    expect(describeValue([])).toBe('array of length 0 []');
    expect(describeValue([1, 2, 3])).toBe('array of length 3 [1, 2, 3]');
    expect(describeValue([1, 2, 3, 4, 5, 6, 7, 8])).toBe('array of length 8 [1, 2, 3, 4, 5, 6, …]');
    expect(describeValue([[1, 2], 'a'])).toBe('array of length 2 […, a]');
  });

  it('names the kind of a typed array', () => {
    expect(describeValue(new Int32Array([5, -100, 7]))).toBe('Int32Array of length 3 [5, -100, 7]');
    expect(describeValue(new Float32Array(10).fill(0.5))).toBe(
      'Float32Array of length 10 [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, …]',
    );
  });

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives a tensor its dtype and shape, not its values', () => {
    const tensorsBefore = tf.memory().numTensors;
    const tensor = tf.zeros([2, 3, 4], 'int32');
    try {
      expect(describeValue(tensor)).toBe('an int32 tensor of shape [2, 3, 4]');
    } finally {
      tensor.dispose();
    }
    const scalar = tf.scalar(1.5);
    try {
      expect(describeValue(scalar)).toBe('a float32 tensor of shape []');
    } finally {
      scalar.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('names functions when they have a name', () => {
    function createBatch() {}
    expect(describeValue(createBatch)).toBe('a function (createBatch)');
    expect(describeValue(Math.max)).toBe('a function (max)');
    expect(describeValue(Object.defineProperty(() => {}, 'name', { value: '' }))).toBe(
      'a function',
    );
  });

  it('says null and undefined', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
  });

  it('calls objects "an object" and class instances by their class', () => {
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(Object.create(null))).toBe('an object');
    expect(describeValue(new Map())).toBe('an instance of Map');
    class Tokenizer {}
    expect(describeValue(new Tokenizer())).toBe('an instance of Tokenizer');
  });
});
