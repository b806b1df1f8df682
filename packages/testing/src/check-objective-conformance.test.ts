import { createRng, isTensor, type LogitScores, tidyResult } from '@lm-objectives/core';
import { describeEachBackend } from '@lm-objectives/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { checkObjectiveConformance, runConformanceCheck } from './check-objective-conformance';
import { CONFORMANCE_CHECKS } from './conformance-checks';
import type { AnyObjective, ConformanceCheckId, ConformanceReport } from './conformance-types';
import { createMockObjective, type MockBatch, type MockObjective } from './create-mock-objective';
import { createTinyLanguageModel } from './create-tiny-language-model';
import { createTokenSequences } from './create-token-sequences';

const VOCABULARY_SIZE = 16;

/** Runs the suite on `build(mock)` with the mock's standard fixture, freeing everything afterwards. */
function reportFor(build: (mock: MockObjective) => AnyObjective): ConformanceReport {
  const mock = createMockObjective({ vocabularySize: VOCABULARY_SIZE, seed: 2 });
  const model = createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 4 });
  try {
    return checkObjectiveConformance(build(mock), {
      examples: createTokenSequences({
        count: 3,
        minLength: 4,
        maxLength: 7,
        vocabularySize: VOCABULARY_SIZE,
        firstId: 2,
        seed: 9,
      }),
      model: model.logitModel('inputIds'),
      // Only [MASK] and padding ids, which are never masked: the part counts zero.
      zeroCountExamples: [[1, 1, 0], [1]],
      invalidExamples: [{ description: 'an id outside the vocabulary', examples: [[2, 99]] }],
    });
  } finally {
    mock.dispose();
    model.dispose();
  }
}

function failedIds(report: ConformanceReport): ConformanceCheckId[] {
  return report.results.filter((result) => result.status === 'failed').map((result) => result.id);
}

function messageOf(report: ConformanceReport, id: ConformanceCheckId): string {
  return report.results.find((result) => result.id === id)?.message ?? '';
}

/** `computeLoss` of the mock, with `transform` applied to its result inside one tidy. */
function transformLoss(
  mock: MockObjective,
  transform: (
    result: ReturnType<MockObjective['computeLoss']>,
    input: Parameters<MockObjective['computeLoss']>[0],
  ) => ReturnType<MockObjective['computeLoss']>,
): MockObjective['computeLoss'] {
  return (input) => tidyResult(() => transform(mock.computeLoss(input), input));
}

describeEachBackend('checkObjectiveConformance', () => {
  it('passes the mock objective on every check, explainBatch included', () => {
    const report = reportFor((mock) => mock);
    expect(failedIds(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.objectiveId).toBe('mock/masked-token');
    expect(report.backend).toBe(tf.getBackend());
    expect(report.results.map((result) => result.id)).toEqual(CONFORMANCE_CHECKS.map((c) => c.id));
    expect(report.results.every((result) => result.status === 'passed')).toBe(true);
  });

  it('runs explain-batch whenever explainBatch is present, and skips it only when it is absent', () => {
    const without = reportFor((mock) => {
      const { explainBatch: _absent, ...rest } = mock;
      return rest;
    });
    expect(without.results.find((r) => r.id === 'explain-batch')).toMatchObject({
      status: 'skipped',
      message: 'the objective has no explainBatch (it is optional).',
    });
    expect(failedIds(without)).toEqual([]);
    // Wrapped the way factories add their own members ({ ...objective, extra }): still run.
    const wrapped = reportFor((mock) => Object.freeze({ ...mock, extra: 1 }));
    expect(wrapped.results.find((r) => r.id === 'explain-batch')?.status).toBe('passed');
  });

  it('fails only explain-batch for an explainBatch that drops a row or mislabels a token', () => {
    const dropped = reportFor((mock) => ({
      ...mock,
      explainBatch: (batch: MockBatch) => ({ rows: mock.explainBatch!(batch).rows.slice(1) }),
    }));
    expect(failedIds(dropped)).toEqual(['explain-batch']);
    expect(messageOf(dropped, 'explain-batch')).toMatch(
      /^explainBatch returned rows array of length 2 .*; expected an array of 3 rows/,
    );
    const weighted = reportFor((mock) => ({
      ...mock,
      explainBatch: (batch: MockBatch) => ({
        rows: mock.explainBatch!(batch).rows.map((row) => ({
          tokens: row.tokens.map((token) => ({ ...token, weight: 1 })),
        })),
      }),
    }));
    expect(failedIds(weighted)).toEqual(['explain-batch']);
    expect(messageOf(weighted, 'explain-batch')).toContain('weight ≥ 0 (0 when the label is null)');
  });

  it('fails only specification-version for a v2 objective, and skips the registry check', () => {
    const report = reportFor((mock) => ({ ...mock, specificationVersion: 'v2' as 'v1' }));
    expect(failedIds(report)).toEqual(['specification-version']);
    expect(messageOf(report, 'specification-version')).toContain(
      'specificationVersion is "v2"; this @lm-objectives/core accepts \'v1\'',
    );
    expect(messageOf(report, 'specification-version')).toContain('defineObjective');
    expect(report.results.find((r) => r.id === 'registry-round-trip')?.status).toBe('skipped');
    expect(report.passed).toBe(false);
  });

  it('fails only objective-id for an id that is not scope/name in kebab case', () => {
    const report = reportFor((mock) => ({ ...mock, objectiveId: 'Mock_Objective' }));
    expect(failedIds(report)).toEqual(['objective-id']);
    expect(messageOf(report, 'objective-id')).toContain(
      'objectiveId is "Mock_Objective"; expected \'scope/name\'',
    );
    expect(report.results.find((r) => r.id === 'registry-round-trip')).toMatchObject({
      status: 'skipped',
      message:
        'depends on the objective-id and declaration checks: register refused the objective (objective.objectiveId).',
    });
  });

  it('fails only batch-determinism for a data side that keeps state between calls', () => {
    let calls = 0;
    const report = reportFor((mock) => ({
      ...mock,
      createBatch: (examples) => mock.createBatch(examples, { random: createRng(calls++) }),
    }));
    expect(failedIds(report)).toEqual(['batch-determinism']);
    expect(messageOf(report, 'batch-determinism')).toMatch(
      /^two calls with createRng\(1\) gave different batches \(fields\.\w+\.data\[\d+\]: \d+ vs \d+\)\. Draw every random choice from options\.random/,
    );
  });

  it('fails only batch-determinism for a data side that changes its examples', () => {
    const report = reportFor((mock) => ({
      ...mock,
      createBatch(examples, options) {
        const batch = mock.createBatch(examples, options);
        (examples[0] as number[])[0] = 1;
        return batch;
      },
    }));
    expect(failedIds(report)).toEqual(['batch-determinism']);
    expect(messageOf(report, 'batch-determinism')).toContain(
      'createBatch changed the examples it was given (examples[0][0]:',
    );
  });

  it('fails only tensor-leaks for a tensor side that leaves a tensor allocated', () => {
    const leaked: tf.Tensor[] = [];
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss(input) {
        leaked.push(tf.scalar(7));
        return mock.computeLoss(input as never);
      },
    }));
    tf.dispose(leaked);
    expect(failedIds(report)).toEqual(['tensor-leaks']);
    expect(messageOf(report, 'tensor-leaks')).toContain(
      'forward: 1 tensor(s) stayed allocated after the caller disposed everything computeLoss returned. Wrap the tensor side in tf.tidy',
    );
  });

  it('fails only num-items-in-batch for a tensor side that ignores numItemsInBatch', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss: transformLoss(mock, (_, input) =>
        mock.computeLoss({ ...input, numItemsInBatch: undefined }),
      ),
    }));
    expect(failedIds(report)).toEqual(['num-items-in-batch']);
    expect(messageOf(report, 'num-items-in-batch')).toMatch(
      /parts\.maskedToken\.loss is [\d.]+, but sum \/ normaliser = [\d.]+ \/ \d+ = [\d.]+ \(the normaliser of 'maskedToken'\)/,
    );
  });

  it('fails part-arithmetic and num-items-in-batch for a part loss that is not sum / normaliser', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss: transformLoss(mock, ({ parts, metrics }) => {
        const part = parts.maskedToken;
        const wrong = tf.div(part.sum, tf.add(part.count, 1)) as tf.Scalar;
        return { loss: wrong, parts: { maskedToken: { ...part, loss: wrong } }, metrics };
      }),
    }));
    expect(failedIds(report)).toEqual(['part-arithmetic', 'num-items-in-batch']);
    expect(messageOf(report, 'part-arithmetic')).toContain('but sum / normaliser =');
  });

  it('fails part-arithmetic and num-items-in-batch (which re-checks the total) for a total that is not the sum of the parts', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss: transformLoss(mock, (result) => ({
        ...result,
        loss: tf.mul(result.loss, 2) as tf.Scalar,
      })),
    }));
    expect(failedIds(report)).toEqual(['part-arithmetic', 'num-items-in-batch']);
    expect(messageOf(report, 'part-arithmetic')).toContain('but the sum of the parts’ losses is');
  });

  it('fails only zero-count for a loss that divides 0 by 0', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss: transformLoss(mock, ({ parts, metrics }, input) => {
        const part = parts.maskedToken;
        const given = input.numItemsInBatch?.['maskedToken'];
        const loss = tf.div(part.sum, given === undefined ? part.count : given) as tf.Scalar;
        return { loss, parts: { maskedToken: { ...part, loss } }, metrics };
      }),
    }));
    expect(failedIds(report)).toEqual(['zero-count']);
    expect(messageOf(report, 'zero-count')).toContain(
      "the zero-count batch: part 'maskedToken' counts nothing, yet reports loss NaN, sum 0, count 0; expected 0, 0, 0.",
    );
  });

  it('fails only gradient-reach for a trainable weight the loss never uses', () => {
    const orphan = tf.tidy(() =>
      tf.variable(tf.zeros([2]), true, 'orphan-weight-of-a-broken-mock'),
    );
    try {
      const report = reportFor((mock) => ({
        ...mock,
        trainableWeights: () => [...mock.trainableWeights(), orphan],
      }));
      expect(failedIds(report)).toEqual(['gradient-reach']);
      expect(messageOf(report, 'gradient-reach')).toContain(
        "no gradient reaches objective weight 'orphan-weight-of-a-broken-mock' (from trainableWeights())",
      );
    } finally {
      orphan.dispose();
    }
  });

  it('fails only finite-differences for a custom gradient twice too large', () => {
    const doubledGradient = tf.customGrad((x) => ({
      value: tf.clone(x as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, 2),
    })) as (x: tf.Tensor) => tf.Tensor;
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss(input) {
        const logits = (input.outputs as Partial<LogitScores> | null)?.logits;
        if (!isTensor(logits)) return mock.computeLoss(input as never);
        return tidyResult(() =>
          mock.computeLoss({ ...input, outputs: { logits: doubledGradient(logits) } } as never),
        );
      },
    }));
    expect(failedIds(report)).toEqual(['finite-differences']);
    expect(messageOf(report, 'finite-differences')).toMatch(
      /model variable 'tiny-language-model-\d+\/\w+', along the gradient’s own direction: autodiff gives [\d.]+, finite differences \(central, h = [\d.e-]+, Richardson-extrapolated\) give [\d.]+/,
    );
  });

  it('fails only bad-input for a tensor side that throws a plain Error', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss(input) {
        if (!isTensor((input.outputs as Partial<LogitScores> | null)?.logits)) {
          throw new Error('logits missing');
        }
        return mock.computeLoss(input as never);
      },
    }));
    expect(failedIds(report)).toEqual(['bad-input']);
    expect(messageOf(report, 'bad-input')).toContain(
      "computeLoss with outputs null threw Error: logits missing, which is not an lm-objectives error. Throw core's InvalidArgumentError",
    );
    expect(messageOf(report, 'bad-input')).toContain('computeLoss with outputs {} threw Error');
  });

  it('fails only bad-input for a data side that accepts ids outside the vocabulary', () => {
    const report = reportFor((mock) => ({
      ...mock,
      createBatch: (examples, options) =>
        Array.isArray(examples) && examples.some((row) => row.includes(99))
          ? mock.createBatch([[2, 3]], options)
          : mock.createBatch(examples, options),
    }));
    expect(failedIds(report)).toEqual(['bad-input']);
    expect(messageOf(report, 'bad-input')).toContain(
      'createBatch with an id outside the vocabulary was accepted without an error.',
    );
  });

  it('reports a throwing objective as a failure of each check that calls it, with the error', () => {
    const report = reportFor((mock) => ({
      ...mock,
      computeLoss() {
        throw new RangeError('out of memory');
      },
    }));
    expect(messageOf(report, 'loss-finite-scalar')).toBe(
      "the check could not run: the objective (or the fixture's model) threw RangeError: out of memory",
    );
    expect(failedIds(report)).toContain('gradient-reach');
  });

  it('honours skip with the reason, and runs one check alone with runConformanceCheck', () => {
    const mock = createMockObjective();
    const model = createTinyLanguageModel({ vocabularySize: 16 });
    try {
      const fixture = { examples: [[2, 3, 4, 5]], model: model.logitModel('inputIds') };
      const skipped = runConformanceCheck('bad-input', mock, fixture, {
        skip: { 'bad-input': 'documented deviation' },
      });
      expect(skipped).toMatchObject({
        id: 'bad-input',
        status: 'skipped',
        message: 'skipped by the caller: documented deviation',
      });
      expect(runConformanceCheck('objective-id', mock, fixture).status).toBe('passed');
      expect(() =>
        runConformanceCheck('no-such-check' as ConformanceCheckId, mock, fixture),
      ).toThrow("runConformanceCheck: unknown check id 'no-such-check'");
    } finally {
      mock.dispose();
      model.dispose();
    }
  });
});
