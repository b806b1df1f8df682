/**
 * Each first-party objective (BERT, GLM, LoRA's conditional LM, prefix tuning) with its reference
 * model: loss, parts and every trained variable's gradient on WebGPU against cpu.
 */
import { describeAgreement } from './agreement-suite';

describeAgreement('objectives', 'webgpu', 1e-4);
