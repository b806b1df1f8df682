import type { ConditionalLmBatch, PromptCompletionExample } from '@lm-objectives/lora';
import type { ConditionalTaskExplanation } from './demo-task';

/**
 * Row 0 of a conditional batch made from `example` alone, for a visualiser: prompt vs completion
 * tokens (the completion includes the appended `[EOS]`) and which positions the loss scores.
 */
export function explainConditionalRow(
  batch: ConditionalLmBatch,
  example: PromptCompletionExample,
  piece: (id: number) => string,
  virtualTokens = 0,
): ConditionalTaskExplanation {
  const length = batch.dimensions['sequence']!;
  const inputIds = batch.fields.inputIds.data.subarray(0, length);
  const labels = batch.fields.labels.data.subarray(0, length);
  const real = batch.fields.attentionMask.data.subarray(0, length).filter(Boolean).length;
  const positions = Array.from({ length: real }, (_, position) => position);
  return {
    kind: 'conditional',
    tokens: positions.map((position) => piece(inputIds[position]!)),
    roles: positions.map((position) =>
      position < example.prompt.length ? 'prompt' : 'completion',
    ),
    lossMask: positions.map((position) => (labels[position]! >= 0 ? 1 : 0)),
    virtualTokens,
  };
}
