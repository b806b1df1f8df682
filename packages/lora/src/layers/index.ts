/**
 * `@lm-objectives/lora/layers`: LoRA for `tf.layers` models. Importing it registers the
 * serialisable `LoraDense` layer class. Needs `@tensorflow/tfjs-layers` (an optional peer
 * dependency of `@lm-objectives/lora`).
 *
 * @packageDocumentation
 */

export {
  type InjectedLoraModel,
  type InjectLoraAdaptersOptions,
  injectLoraAdapters,
  loraAdaptersOf,
} from './inject-lora-adapters';
export { type InitializerSetting, LoraDense, type LoraDenseArgs, loraDense } from './lora-dense';
export { planLayersLoraTargets } from './plan-layers-lora-targets';
