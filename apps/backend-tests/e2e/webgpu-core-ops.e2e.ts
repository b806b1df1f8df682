/**
 * Every tensor utility of @lm-objectives/core, forward and backward, on WebGPU (SwiftShader in
 * headless Chromium) against cpu. Run with `pnpm --filter @lm-objectives/backend-tests test:e2e`.
 */
import { describeAgreement } from './agreement-suite';

describeAgreement('core-ops', 'webgpu', 2e-5);
