/**
 * `@lm-objectives/testing`: the conformance suite that checks an objective plugin against the
 * `LossObjective` v1 contract, a mock objective, and tiny fixtures.
 *
 * @packageDocumentation
 */
// biome-ignore-all assist/source/organizeImports: the exports are grouped by concept, in reading order

// The suite
export {
  checkObjectiveConformance,
  runConformanceCheck,
} from './check-objective-conformance';
export {
  type ConformanceBackend,
  type DescribeConformanceOptions,
  type ValueOrFactory,
  describeObjectiveConformance,
} from './describe-objective-conformance';
export type { ConformanceCheck } from './conformance-check';
export { CONFORMANCE_CHECKS } from './conformance-checks';
export type {
  AnyObjective,
  ConformanceCheckId,
  ConformanceCheckResult,
  ConformanceFixture,
  ConformanceModel,
  ConformanceOptions,
  ConformanceReport,
  InvalidExamplesCase,
} from './conformance-types';

// Mocks and fixtures
export {
  createMockObjective,
  MOCK_OBJECTIVE_ID,
  type MockBatch,
  type MockObjective,
  type MockObjectiveOptions,
} from './create-mock-objective';
export {
  createMockNextTokenObjective,
  MOCK_NEXT_TOKEN_OBJECTIVE_ID,
  type MockNextTokenBatch,
  type MockNextTokenObjective,
  type MockNextTokenObjectiveOptions,
} from './create-mock-next-token-objective';
export {
  createTinyLanguageModel,
  type TinyLanguageModel,
  type TinyLanguageModelOptions,
} from './create-tiny-language-model';
export { createTokenSequences, type TokenSequencesOptions } from './create-token-sequences';
