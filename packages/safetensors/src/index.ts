/**
 * `@lm-objectives/safetensors`: read and write the safetensors format with strict validation, in
 * any JavaScript runtime (pure typed arrays, no dependencies).
 *
 * @packageDocumentation
 */

export type { DeclaredFormat } from './check-declared-format';
export {
  CHECKSUM_METADATA_KEY,
  contentChecksum,
  type StoredTensor,
} from './content-checksum';
export {
  DTYPE_BYTES,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
} from './dtypes';
export { bfloat16BitsToNumber, float16BitsToNumber } from './half-precision';
export { MAX_HEADER_DEPTH } from './header-nesting-depth';
export {
  MAX_HEADER_BYTES,
  type ReadSafetensorsOptions,
  readSafetensors,
  type SafetensorsFile,
} from './read-safetensors';
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
export { type WriteSafetensorsOptions, writeSafetensors } from './write-safetensors';
