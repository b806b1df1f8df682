import { describeEachBackend, expectInvalidArgument } from '@lm-objectives/test-utils';
import { expect, it } from 'vitest';
import { createLearningRateSchedule } from '../schedule/learning-rate-schedule';
import {
  createTinyModel,
  createTinyObjective,
  makeTinyBatch,
  randomExamples,
} from '../test-support/trainer-fixtures';
import { createTrainer } from './create-trainer';

type AnyOptions = Parameters<typeof createTrainer>[0];

describeEachBackend('createTrainer and train(): no option is ignored', () => {
  /** [what, the options beyond objective and model, the argument named, fragments of the message]. */
  const refusedOptions: readonly [string, Record<string, unknown>, string, string[]][] = [
    [
      'a misspelt learning rate',
      { learningrate: 0.5 },
      'options.learningrate',
      ["did you mean 'learningRate'?"],
    ],
    [
      'a snake_case optimizer option',
      { optimizer: { weight_decay: 0.1 } },
      'options.optimizer.weight_decay',
      ["did you mean 'weightDecay'?"],
    ],
    [
      'an unknown optimizer option',
      { optimizer: { momentum: 0.9 } },
      'options.optimizer.momentum',
      ['one of the known options beta1, beta2'],
    ],
    ['β1 outside [0, 1)', { optimizer: { beta1: 1.5 } }, 'options.optimizer.beta1', ['[0, 1)']],
    [
      'a negative weight decay',
      { optimizer: { weightDecay: -0.1 } },
      'options.optimizer.weightDecay',
      ['[0, ∞)'],
    ],
    [
      'a filter that is not a function',
      { optimizer: { weightDecayFilter: true } },
      'options.optimizer.weightDecayFilter',
      ['a function'],
    ],
    [
      'a clipping threshold of NaN',
      { maxGradientNorm: Number.NaN },
      'options.maxGradientNorm',
      ['a number > 0'],
    ],
    ['a fractional seed', { seed: 2.5 }, 'options.seed', ['integer']],
    [
      'a misspelt guard mode',
      { leakGuard: 'thrw' },
      'options.leakGuard',
      ["'throw', 'warn', 'off'"],
    ],
    [
      'a warning sink that is not a function',
      { onWarning: 'console' },
      'options.onWarning',
      ['a function'],
    ],
    [
      'a negative learning rate',
      { learningRate: -1 },
      'options.learningRate',
      ['a finite number ≥ 0'],
    ],
  ];
  for (const [what, extra, argumentName, fragments] of refusedOptions) {
    it(`refuses ${what}, naming ${argumentName}`, () => {
      const model = createTinyModel();
      expectInvalidArgument(
        () => createTrainer({ objective: createTinyObjective(), model, ...extra } as AnyOptions),
        'createTrainer',
        argumentName,
        fragments,
      );
      model.dispose();
    });
  }

  it('refuses a misspelt member of the model adapter, but keeps members of its own (dispose)', () => {
    const model = createTinyModel();
    const { inputFields, ...rest } = model;
    expectInvalidArgument(
      () =>
        createTrainer({
          objective: createTinyObjective(),
          model: { ...rest, input_fields: inputFields } as never,
        }),
      'createTrainer',
      'options.model.input_fields',
      ["did you mean 'inputFields'?"],
    );
    expectInvalidArgument(
      () =>
        createTrainer({
          objective: createTinyObjective(),
          model: { ...model, embedding: [] } as never,
        }),
      'createTrainer',
      'options.model.embedding',
      ["did you mean 'embeddings'?"],
    );
    // `model` carries dispose(): not a trainer member, and not close to one.
    createTrainer({ objective: createTinyObjective(), model }).dispose();
    model.dispose();
  });

  it('refuses an objective without the members the trainer calls, and missing required options', () => {
    const model = createTinyModel();
    const { computeLoss: _computeLoss, ...withoutLoss } = createTinyObjective();
    expectInvalidArgument(
      () => createTrainer({ objective: withoutLoss as never, model }),
      'createTrainer',
      'objective.computeLoss',
    );
    expectInvalidArgument(
      () => createTrainer({ model } as never),
      'createTrainer',
      'options.objective',
      ['required option objective'],
    );
    model.dispose();
  });

  it('refuses unknown train() options with a suggestion, and bad values', async () => {
    const model = createTinyModel();
    const trainer = createTrainer({ objective: createTinyObjective(), model });
    const nextWindow = () => [makeTinyBatch(randomExamples([4], 1))];
    const refused: readonly [Record<string, unknown>, string, string][] = [
      [{ on_progress: () => {} }, 'options.on_progress', "did you mean 'onProgress'?"],
      [{ totalStep: 3 }, 'options.totalStep', "did you mean 'totalSteps'?"],
      [{ totalSteps: -1 }, 'options.totalSteps', '[0, '],
      [{ yieldIntervalMs: Number.POSITIVE_INFINITY }, 'options.yieldIntervalMs', 'finite'],
      [{ probe: 'yes' }, 'options.probe', 'true or false'],
      [{ signal: {} }, 'options.signal', 'an AbortSignal'],
      [{ onProgress: 'log' }, 'options.onProgress', 'a function'],
    ];
    for (const [extra, argumentName, fragment] of refused) {
      const error = await trainer.train({ totalSteps: 3, nextWindow, ...extra } as never).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expectInvalidArgument(
        () => {
          throw error;
        },
        'train',
        argumentName,
        [fragment],
      );
    }
    expect(trainer.step).toBe(0);
    trainer.dispose();
    model.dispose();
  });

  it('refuses unknown schedule options with a suggestion', () => {
    expectInvalidArgument(
      () => createLearningRateSchedule({ peak: 1e-3, totalSteps: 10, warmup_steps: 2 } as never),
      'createLearningRateSchedule',
      'options.warmup_steps',
      ["did you mean 'warmupSteps'?"],
    );
  });
});
