/**
 * The same agreement suites on WebGL (SwiftShader's WebGL in headless Chromium without a GPU):
 * core ops, models with clipping and AdamW and the trainer, and each first-party objective, every
 * output against cpu.
 */
import { describeAgreement } from './agreement-suite';

describeAgreement('core-ops', 'webgl', 2e-5);
describeAgreement('models-and-updates', 'webgl', 1e-4);
describeAgreement('objectives', 'webgl', 1e-4);
