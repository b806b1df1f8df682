import { checkOptionKeys } from '@lm-objectives/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { LORA_OPTION_KEYS } from '../adapter/lora-options';
import {
  type LoraTargetPlan,
  type PlanLoraTargetsOptions,
  planFromShapes,
} from '../adapter/plan-lora-targets';
import { checkLayersModel, denseLayersOf, outputHeadsOf } from './inject-lora-adapters';

const FUNCTION_NAME = 'planLayersLoraTargets';

/**
 * A dry run of `injectLoraAdapters`: which `Dense` layers `targets` selects, their kernel shapes
 * and the parameters each adapter would add ($r\,(\mathrm{in}+\mathrm{out})$), without building
 * anything. `'all-linear'` leaves out the `Dense` layers that produce a model output.
 *
 * @example
 * console.log(planLayersLoraTargets(model, { rank: 4, targets: 'all-linear' }).format());
 */
export function planLayersLoraTargets(
  model: tfl.LayersModel,
  options: Omit<PlanLoraTargetsOptions, 'outputHeads'> = {},
): LoraTargetPlan {
  checkOptionKeys(FUNCTION_NAME, options, [...LORA_OPTION_KEYS, 'targets']);
  checkLayersModel(FUNCTION_NAME, model);
  const shapes = new Map<string, [number, number, number]>(
    denseLayersOf(model).map((layer) => {
      const [inputs, outputs] = layer.weights[0]!.shape as [number, number];
      const bias = layer.weights[1] ? outputs : 0;
      return [layer.name, [inputs, outputs, inputs * outputs + bias]];
    }),
  );
  return planFromShapes(FUNCTION_NAME, shapes, options, 'Dense layers', outputHeadsOf(model));
}
