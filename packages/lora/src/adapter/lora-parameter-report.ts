import type { LoraAdapter } from './lora-adapter';

/** How much of a model a set of adapters trains, and how big an adapter checkpoint is. */
export interface LoraParameterReport {
  /** The adapted linears' names. */
  readonly adaptedNames: readonly string[];
  /** Parameters that train: every $A$ and $B$, plus anything else left trainable. */
  readonly trainableParameters: number;
  /** Every parameter of the adapted model: base weights plus adapters. */
  readonly totalParameters: number;
  /** The parameters of the model without adapters. */
  readonly baseParameters: number;
  /** $\sum r\,(\mathrm{in} + \mathrm{out})$ over the adapters. */
  readonly adapterParameters: number;
  /** `trainableParameters / totalParameters`. */
  readonly trainableRatio: number;
  /** Bytes of the adapter weights in float32 (what an adapter checkpoint stores, besides its small header). */
  readonly adapterBytes: number;
  /** Bytes of the base model's weights in float32. */
  readonly baseBytes: number;
  /** `adapterBytes / baseBytes`. */
  readonly sizeRatio: number;
}

/** Builds a {@link LoraParameterReport} from the adapters and the model's parameter counts. */
export function loraParameterReportFrom(
  adapters: readonly LoraAdapter[],
  baseParameters: number,
  otherTrainableParameters: number,
): LoraParameterReport {
  const adapterParameters = adapters.reduce(
    (total, adapter) => total + adapter.a.size + adapter.b.size,
    0,
  );
  const totalParameters = baseParameters + adapterParameters;
  const trainableParameters = adapterParameters + otherTrainableParameters;
  return {
    adaptedNames: adapters.map((adapter) => adapter.name),
    trainableParameters,
    totalParameters,
    baseParameters,
    adapterParameters,
    trainableRatio: totalParameters === 0 ? 0 : trainableParameters / totalParameters,
    adapterBytes: adapterParameters * 4,
    baseBytes: baseParameters * 4,
    sizeRatio: baseParameters === 0 ? 0 : adapterParameters / baseParameters,
  };
}
