export { type ArgumentErrorLike, expectInvalidArgument, thrownBy } from './argument-errors';
export {
  describeEachBackend,
  expectRelativelyClose,
  maxAbs,
  maxAbsDifference,
  TEST_BACKENDS,
  type TestBackend,
} from './backends';
export { decodeArray, type EncodedArray, readGolden } from './golden';
