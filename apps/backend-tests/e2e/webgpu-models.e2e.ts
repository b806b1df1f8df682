/**
 * The reference models (forward pass and every weight's gradient, dropout included) and the
 * trainer's update (clipping + AdamW) on WebGPU (SwiftShader in headless Chromium) against cpu.
 */
import { describeAgreement } from './agreement-suite';

describeAgreement('models-and-updates', 'webgpu', 1e-4);
