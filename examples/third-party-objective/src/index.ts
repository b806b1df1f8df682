/**
 * `lm-objectives-electra`: ELECTRA's replaced-token detection as an lm-objectives plugin, written
 * against the public `@lm-objectives/core` API only.
 *
 * @packageDocumentation
 */
export { applyGeneratorSamples, sampleGeneratorTokens } from './apply-generator-samples';
export { createElectraBatch, proposalIds } from './create-electra-batch';
export {
  createElectraObjective,
  ELECTRA_OBJECTIVE_ID,
  type ElectraExample,
  type ElectraModelOutputs,
  type ElectraObjective,
} from './create-electra-objective';
export {
  ELECTRA_BATCH_FIELDS,
  type ElectraBatch,
  type ElectraFieldName,
  type ElectraPartName,
} from './electra-batch';
export {
  type ElectraObjectiveOptions,
  type ResolvedElectraOptions,
  resolveElectraOptions,
} from './electra-options';
export { registerElectraObjective } from './register-electra-objective';
export { replacedTokenDetectionLoss } from './replaced-token-detection-loss';
