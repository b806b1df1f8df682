import { badInputCheck } from './checks/bad-input-check';
import {
  batchDeterminismCheck,
  batchFieldsCheck,
  explainBatchCheck,
} from './checks/data-side-checks';
import {
  declarationCheck,
  objectiveIdCheck,
  specificationVersionCheck,
} from './checks/declaration-checks';
import { finiteDifferencesCheck, gradientReachCheck } from './checks/gradient-checks';
import { tensorLeaksCheck } from './checks/leak-check';
import {
  lossFiniteScalarCheck,
  numItemsInBatchCheck,
  partArithmeticCheck,
  zeroCountCheck,
} from './checks/loss-checks';
import { registryRoundTripCheck } from './checks/registry-check';
import type { ConformanceCheck } from './conformance-check';

/** Every check of the suite, in the order it runs: declaration, data side, tensor side, gradients, hygiene. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck[] = Object.freeze([
  specificationVersionCheck,
  objectiveIdCheck,
  declarationCheck,
  batchDeterminismCheck,
  batchFieldsCheck,
  explainBatchCheck,
  lossFiniteScalarCheck,
  partArithmeticCheck,
  numItemsInBatchCheck,
  zeroCountCheck,
  gradientReachCheck,
  finiteDifferencesCheck,
  tensorLeaksCheck,
  registryRoundTripCheck,
  badInputCheck,
]);
