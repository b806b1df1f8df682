// The exported adapter of the cross-runtime check with PyTorch, built deterministically so that
// the committed fixture can be regenerated (scripts/peft/export-fixture.ts) and pinned by src/peft/cross-runtime.test.ts.

import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs-core';
import { createLoraAdapters, type LoraLinearSet } from '../src/adapter/create-lora-adapters';

/** Kernel shapes `[in, out]` of the exported case: square and non-square, one left unadapted. */
export const EXPORTED_CASE_SHAPES: Readonly<Record<string, [number, number]>> = {
  'layers.0.attention.query': [6, 6],
  'layers.0.attention.value': [6, 6],
  'layers.0.feedForward.intermediate': [6, 10],
  'layers.0.feedForward.output': [10, 6],
};

/** The adapted names of the exported case. */
export const EXPORTED_CASE_TARGETS = [
  'layers.0.attention.query',
  'layers.0.attention.value',
  'layers.0.feedForward.intermediate',
];

/** The export options of the case (BERT module names). */
export const EXPORTED_CASE_OPTIONS = {
  moduleNames: 'bert',
  baseModelNameOrPath: 'lm-objectives/tiny-bert',
  taskType: 'FEATURE_EXTRACTION',
} as const;

/** Plain data of the exported case: base weights `[in, out]` and the input rows `[3, 6]`. */
export interface ExportedCaseData {
  rank: number;
  alpha: number;
  linears: Record<string, { kernel: number[]; bias: number[]; shape: [number, number] }>;
  input: number[];
  inputShape: [number, number];
}

const draw = (random: { normal(mean?: number, std?: number): number }, size: number, std: number) =>
  Array.from({ length: size }, () => Math.fround(random.normal(0, std)));

/** The base weights and input of the exported case (seeded, so every run gives the same numbers). */
export function exportedCaseData(): ExportedCaseData {
  const random = createRng(14);
  const linears: ExportedCaseData['linears'] = {};
  for (const [name, shape] of Object.entries(EXPORTED_CASE_SHAPES)) {
    linears[name] = {
      kernel: draw(random, shape[0] * shape[1], 0.4),
      bias: draw(random, shape[1], 0.1),
      shape,
    };
  }
  return { rank: 4, alpha: 8, linears, input: draw(random, 18, 1), inputShape: [3, 6] };
}

/** Variables of the case's base weights. */
export function caseLinears(data: {
  linears: Record<string, { kernel: number[]; bias: number[]; shape: [number, number] }>;
}): Record<string, { kernel: tf.Variable; bias: tf.Variable }> {
  return Object.fromEntries(
    Object.entries(data.linears).map(([name, { kernel, bias, shape }]) => [
      name,
      tf.tidy(() => ({
        kernel: tf.variable(tf.tensor2d(kernel, shape), false),
        bias: tf.variable(tf.tensor1d(bias), false),
      })),
    ]),
  );
}

/**
 * Adapters on the case's linears with "trained" weights: $A$ and a **non-zero** $B$ drawn from a
 * seeded source (at initialisation $B = 0$ would hide a missing transpose).
 */
export function trainedCaseAdapters(
  linears: Record<string, { kernel: tf.Variable; bias: tf.Variable }>,
  data: ExportedCaseData,
): LoraLinearSet {
  const lora = createLoraAdapters(linears, {
    rank: data.rank,
    alpha: data.alpha,
    targets: EXPORTED_CASE_TARGETS,
  });
  const random = createRng(1414);
  tf.tidy(() => {
    for (const adapter of lora.adapters.values()) {
      adapter.a.assign(
        tf.tensor2d(draw(random, adapter.inputSize * data.rank, 0.5), [
          adapter.inputSize,
          data.rank,
        ]),
      );
      adapter.b.assign(
        tf.tensor2d(draw(random, data.rank * adapter.outputSize, 0.5), [
          data.rank,
          adapter.outputSize,
        ]),
      );
    }
  });
  return lora;
}
