// The argument-error assertions are shared by every package's tests through the workspace's
// private test-utils package.
export { expectInvalidArgument, thrownBy } from '@lm-objectives/test-utils';
