import { InvalidArgumentError } from '@lm-objectives/core';
import {
  countLayoutParameters,
  transformerWeightLayout,
} from '../models/transformer-weight-layout';
import type { HuggingFaceArchitecture } from './architecture-layout';
import { layoutOfConfig } from './architecture-layouts';
import { ConfigReader } from './config-reader';
import { convertedShape } from './tensor-mapping';

/** What {@link countHuggingFaceParameters} returns. */
export interface HuggingFaceParameterCount {
  /** The architecture the config names. */
  readonly architecture: HuggingFaceArchitecture;
  /** Parameters of the model the import would build (tied tables counted once, as PyTorch's `num_parameters()`). */
  readonly total: number;
  /** Bytes of those parameters in float32 ($4 \times$ total). */
  readonly float32Bytes: number;
  /** Tensors the checkpoint must hold. */
  readonly tensorCount: number;
}

const FUNCTION_NAME = 'countHuggingFaceParameters';

/**
 * Counts the parameters a `config.json` describes, through the import's own path — the same
 * config reading, refusals and tensor mapping as {@link importHuggingFaceModel} — without
 * allocating any weight, so that a 1.1-billion-parameter configuration is counted in
 * milliseconds. Also checks that the checkpoint's tensors cover every weight of the model exactly
 * once with the shapes the model declares.
 *
 * @example
 * countHuggingFaceParameters(gpt2SmallConfig).total; // 124439808
 */
export function countHuggingFaceParameters(
  config: string | Readonly<Record<string, unknown>>,
): HuggingFaceParameterCount {
  const parsed = (typeof config === 'string' ? JSON.parse(config) : config) as Record<
    string,
    unknown
  >;
  const layout = layoutOfConfig(FUNCTION_NAME, parsed);
  const spec = layout.spec(
    layout.readConfig(new ConfigReader(FUNCTION_NAME, parsed, layout.architecture)),
  );
  const weights = transformerWeightLayout(spec);
  const declared = new Map(weights.weights.map((weight) => [weight.name, weight.shape]));
  const tensors = layout.tensors(spec.config);
  for (const mapping of tensors) {
    for (const { weight, conversion } of mapping.parts) {
      const shape = declared.get(weight);
      const converted = convertedShape(mapping.shape, conversion);
      if (shape === undefined || shape.join() !== converted.join()) {
        throw new InvalidArgumentError({
          functionName: FUNCTION_NAME,
          argumentName: `tensor '${mapping.name}'`,
          expected: `a weight '${weight}' of shape [${converted.join(', ')}]`,
          received: shape,
          fix: 'report this: the layout and the model disagree.',
        });
      }
      declared.delete(weight);
    }
  }
  if (declared.size > 0) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'layout',
      expected: 'every weight mapped to a tensor',
      received: [...declared.keys()],
      fix: 'report this: the layout and the model disagree.',
    });
  }
  const total = countLayoutParameters(weights);
  return {
    architecture: layout.architecture,
    total,
    float32Bytes: 4 * total,
    tensorCount: tensors.length,
  };
}
