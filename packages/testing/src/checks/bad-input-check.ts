import { createRng, isTensor, LmObjectivesError, type ObjectiveBatchV1 } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import type { ConformanceCheck } from '../conformance-check';
import type { CheckContext } from '../internal/check-context';
import { describeThrown, failIfAny } from '../internal/check-outcome';

/** One bad call and what makes it bad. */
interface BadCall {
  readonly description: string;
  readonly call: () => unknown;
}

/** Copies of `outputs`, each with one tensor given one more row on its first axis. */
function misshapenOutputs(outputs: unknown): { path: string; outputs: unknown }[] {
  const variants: { path: string; outputs: unknown }[] = [];
  const visit = (value: unknown, path: string, rebuild: (replacement: unknown) => unknown) => {
    if (isTensor(value)) {
      if (value.rank === 0) return;
      const shape = [value.shape[0]! + 1, ...value.shape.slice(1)];
      variants.push({ path, outputs: rebuild(tf.zeros(shape, value.dtype)) });
      return;
    }
    if (value == null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, member] of Object.entries(value)) {
      visit(member, path === '' ? key : `${path}.${key}`, (replacement) =>
        rebuild({ ...(value as object), [key]: replacement }),
      );
    }
  };
  visit(outputs, '', (replacement) => replacement);
  return variants;
}

function badCalls(context: CheckContext, batch: ObjectiveBatchV1, outputs: unknown): BadCall[] {
  const { objective, fixture, options } = context;
  const random = () => createRng(options.seed);
  const firstPart = objective.partNames[0]!;
  const loss = (input: Record<string, unknown>) => () =>
    objective.computeLoss({ outputs, batch, ...input } as never);
  return [
    {
      description: 'createBatch(null)',
      call: () => objective.createBatch(null as never, { random: random() }),
    },
    ...(fixture.invalidExamples ?? []).map(({ description, examples }) => ({
      description: `createBatch with ${description}`,
      call: () => objective.createBatch(examples as never, { random: random() }),
    })),
    { description: 'computeLoss with outputs null', call: loss({ outputs: null }) },
    { description: 'computeLoss with outputs {}', call: loss({ outputs: {} }) },
    { description: 'computeLoss with batch null', call: loss({ batch: null }) },
    {
      description: `computeLoss with numItemsInBatch.${firstPart} = -1`,
      call: loss({ numItemsInBatch: { [firstPart]: -1 } }),
    },
    ...misshapenOutputs(outputs).map((variant) => ({
      description: `computeLoss with outputs.${variant.path} one row longer on its first axis`,
      call: loss({ outputs: variant.outputs }),
    })),
  ];
}

/** Bad input gives a typed lm-objectives error, never a plain `Error`, a `TypeError` or NaN. */
export const badInputCheck: ConformanceCheck = {
  id: 'bad-input',
  title:
    'bad input is refused with core’s typed errors (InvalidArgumentError, ShapeMismatchError, …)',
  run(context) {
    const batch = context.createBatch();
    const problems: string[] = [];
    tf.tidy(() => {
      const outputs = context.fixture.model.apply(batch);
      for (const { description, call } of badCalls(context, batch, outputs)) {
        let thrown: unknown;
        let threw = false;
        try {
          tf.tidy(() => {
            call();
          });
        } catch (error) {
          threw = true;
          thrown = error;
        }
        if (!threw) {
          problems.push(
            `${description} was accepted without an error. Validate it and throw InvalidArgumentError (or ShapeMismatchError) from @lm-objectives/core.`,
          );
        } else if (!LmObjectivesError.isInstance(thrown)) {
          problems.push(
            `${description} threw ${describeThrown(thrown)}, which is not an lm-objectives error. Throw core's InvalidArgumentError (or ShapeMismatchError) naming the function, the argument, what was expected and received, and the fix: tools recognise it with InvalidArgumentError.isInstance.`,
          );
        }
      }
    });
    failIfAny(problems, 'Bad input is not refused with a typed error:');
    return undefined;
  },
};
