// Every benchmark result schema the Performance page knows, in the order its summary lists them.
// A result file matching none of them is still listed on the Benchmark data page.
import { backendRunsSchema } from './backend-runs.mjs';
import { bertDataSideSchema } from './bert-data-side.mjs';
import { checkpointImportSchema } from './checkpoint-import.mjs';
import { chunkSizeSchema } from './chunk-size.mjs';
import { glmDataSideSchema } from './glm-data-side.mjs';
import { linearCrossEntropySchema } from './linear-cross-entropy.mjs';
import { linearStepSchema } from './linear-step.mjs';
import { loraStepSchema } from './lora-step.mjs';
import { modelsLinearsSchema } from './models-linears.mjs';
import { prefixStepSchema } from './prefix-step.mjs';
import { safetensorsIoSchema } from './safetensors-io.mjs';
import { trainerOverheadSchema } from './trainer-overhead.mjs';

export const RESULT_SCHEMAS = Object.freeze([
  linearCrossEntropySchema,
  linearStepSchema,
  glmDataSideSchema,
  bertDataSideSchema,
  loraStepSchema,
  prefixStepSchema,
  modelsLinearsSchema,
  checkpointImportSchema,
  trainerOverheadSchema,
  safetensorsIoSchema,
  backendRunsSchema,
  chunkSizeSchema,
]);

/** The schema a result file's data matches, or `undefined`. */
export function schemaOf(data) {
  return RESULT_SCHEMAS.find((schema) => schema.matches(data));
}
