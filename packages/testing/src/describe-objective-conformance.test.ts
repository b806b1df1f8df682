// The vitest wrapper, run on the mock objective: one `it` per check and backend. Made from
// factories, so the objective and the model are created once the backend is ready and disposed after.
import { createRng } from '@lm-objectives/core';
import { createMockObjective } from './create-mock-objective';
import { createTinyLanguageModel } from './create-tiny-language-model';
import { createTokenSequences } from './create-token-sequences';
import { describeObjectiveConformance } from './describe-objective-conformance';

const VOCABULARY_SIZE = 16;
const createFixture = () => ({
  examples: createTokenSequences({
    count: 4,
    minLength: 3,
    maxLength: 8,
    vocabularySize: VOCABULARY_SIZE,
    firstId: 2,
    seed: 1,
  }),
  model: createTinyLanguageModel({ vocabularySize: VOCABULARY_SIZE, seed: 8 }).logitModel(
    'inputIds',
  ),
  zeroCountExamples: [[1, 1]],
  invalidExamples: [{ description: 'a row that is not an array', examples: [7] }],
});

describeObjectiveConformance(
  'mock/masked-token',
  () => createMockObjective({ vocabularySize: VOCABULARY_SIZE }),
  createFixture,
);

// A known violation is declared with it.fails: this suite passes because the check fails, and
// would turn red if the data side became deterministic.
let calls = 0;
describeObjectiveConformance(
  'mock/masked-token with a stateful data side',
  () => {
    const mock = createMockObjective({ vocabularySize: VOCABULARY_SIZE });
    return {
      ...mock,
      createBatch: (examples: readonly (readonly number[])[]) =>
        mock.createBatch(examples, { random: createRng(calls++) }),
    };
  },
  createFixture,
  {
    backends: ['cpu'],
    expectedFailures: { 'batch-determinism': 'the data side keeps a call counter' },
  },
);
