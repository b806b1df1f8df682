import { IGNORE_INDEX } from '@lm-objectives/core';
import type { ConditionalExample } from '../conditional-example';
import { CONDITIONAL_TOKEN_ACTION } from '../conditional-lm-batch';
import type { ResolvedConditionalLmOptions } from '../conditional-lm-options';
import { conditionalExampleSegments, type ExampleSegment } from './conditional-example-segments';

/** One example as a sequence: its ids, labels and token actions, aligned (the loss shifts the labels). */
export interface ConditionalSequence {
  readonly inputIds: Int32Array;
  /**
   * The id at scored positions, −100 elsewhere. Position 0 is always −100: nothing before it can
   * predict it, and in a packed row the token before it belongs to another example.
   */
  readonly labels: Int32Array;
  /** {@link CONDITIONAL_TOKEN_ACTION} code of each position. */
  readonly actions: Uint8Array;
  /** How many labels are scored (≠ −100). 0 means the example must be dropped. */
  readonly scored: number;
  /** Whether `maxLength` cut it. */
  readonly truncated: boolean;
}

/**
 * Turns one example into ids and labels: segments concatenated, EOS appended (scored when the
 * last segment is), labels −100 wherever a segment is not scored — decided by **position**, never
 * by comparing ids, so a pad id equal to EOS never masks a real EOS — then cut to `maxLength`
 * (keeping the start, or with `truncation: 'start'` the end). Pure; no tensors.
 *
 * @param exampleName how the example is named in error messages, e.g. `'examples[3]'`.
 */
export function buildConditionalSequence(
  functionName: string,
  example: ConditionalExample,
  exampleName: string,
  options: ResolvedConditionalLmOptions,
): ConditionalSequence {
  const segments: ExampleSegment[] = conditionalExampleSegments(
    functionName,
    example,
    exampleName,
    options,
  );
  if (options.appendEos) {
    const last = segments[segments.length - 1]!;
    segments.push({
      ids: Int32Array.of(options.eosTokenId),
      action: 'special',
      scored: last.scored,
    });
  }
  const fullLength = segments.reduce((total, segment) => total + segment.ids.length, 0);
  const length = Math.min(fullLength, options.maxLength ?? fullLength);
  const skipped = options.truncation === 'start' ? fullLength - length : 0;
  const inputIds = new Int32Array(length);
  const labels = new Int32Array(length).fill(IGNORE_INDEX);
  const actions = new Uint8Array(length);
  let position = 0; // position in the untruncated sequence
  for (const segment of segments) {
    const action = CONDITIONAL_TOKEN_ACTION[segment.action];
    for (let index = 0; index < segment.ids.length; index++, position++) {
      const kept = position - skipped;
      if (kept < 0 || kept >= length) continue;
      const id = segment.ids[index]!;
      inputIds[kept] = id;
      actions[kept] = action;
      if (segment.scored) labels[kept] = id;
    }
  }
  if (length > 0) labels[0] = IGNORE_INDEX;
  let scored = 0;
  for (let index = 0; index < length; index++) if (labels[index] !== IGNORE_INDEX) scored++;
  return { inputIds, labels, actions, scored, truncated: length < fullLength };
}
