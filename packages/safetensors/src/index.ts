/**
 * `@lm-objectives/safetensors`: read and write the safetensors format with strict validation, in
 * any JavaScript runtime (pure typed arrays, no dependencies).
 *
 * @packageDocumentation
 */

export {
  DTYPE_BYTES,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
} from './dtypes';
export { bfloat16BitsToNumber, float16BitsToNumber } from './half-precision';
export { MAX_HEADER_BYTES, readSafetensors, type SafetensorsFile } from './read-safetensors';
export {
  SafetensorsError,
  type SafetensorsErrorCode,
  type SafetensorsProblem,
} from './safetensors-error';
export {
  elementCount,
  type SafetensorsData,
  type SafetensorsTensor,
  type SafetensorsTensorInput,
} from './tensor-entry';
export { writeSafetensors } from './write-safetensors';
