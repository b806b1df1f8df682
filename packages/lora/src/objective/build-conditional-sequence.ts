import { IGNORE_INDEX, InvalidArgumentError } from '@lm-objectives/core';
import { type ConditionalExample, isChatExample } from './conditional-example';
import type { ResolvedConditionalLmOptions } from './conditional-lm-options';

/** One example as a sequence: its ids and its labels, aligned (the loss shifts them). */
export interface ConditionalSequence {
  readonly inputIds: Int32Array;
  /**
   * The id at scored positions, −100 elsewhere. Position 0 is always −100: nothing before it can
   * predict it, and in a packed row the token before it belongs to another example.
   */
  readonly labels: Int32Array;
  /** How many labels are scored (≠ −100). 0 means the example must be dropped. */
  readonly scored: number;
}

interface Segment {
  readonly ids: readonly number[] | Int32Array;
  readonly scored: boolean;
}

function checkIds(
  functionName: string,
  argumentName: string,
  ids: unknown,
  vocabularySize: number | undefined,
): readonly number[] | Int32Array {
  if (!(Array.isArray(ids) || ids instanceof Int32Array)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      expected: 'an array or Int32Array of token ids',
      received: ids,
      fix: 'tokenize the text and pass the ids.',
    });
  }
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index];
    if (
      !(Number.isInteger(id) && id >= 0 && (vocabularySize === undefined || id < vocabularySize))
    ) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${argumentName}[${index}]`,
        expected: `a token id, an integer in [0, ${vocabularySize ?? '∞'})`,
        received: id,
        fix:
          id === IGNORE_INDEX
            ? 'pass token ids, not labels: the objective builds the −100 labels itself.'
            : "check the tokenizer's vocabulary size against the model's.",
      });
    }
  }
  return ids;
}

/** The segments of an example with whether each is scored under the strategy. */
function segmentsOf(
  functionName: string,
  example: ConditionalExample,
  exampleName: string,
  options: ResolvedConditionalLmOptions,
): Segment[] {
  const { strategy, vocabularySize } = options;
  const invalidExample = () =>
    new InvalidArgumentError({
      functionName,
      argumentName: exampleName,
      expected: '{ prompt, completion } or { turns: [{ role, ids }] }',
      received: example,
      fix: 'tokenize the prompt and the completion separately and pass both id arrays.',
    });
  if (example == null || typeof example !== 'object') throw invalidExample();
  if (isChatExample(example)) {
    const { turns } = example;
    if (!Array.isArray(turns) || turns.length === 0) {
      throw new InvalidArgumentError({
        functionName,
        argumentName: `${exampleName}.turns`,
        expected: 'a non-empty array of { role, ids }',
        received: turns,
        fix: 'pass the conversation turn by turn, each tokenized on its own.',
      });
    }
    let lastAssistant = -1;
    turns.forEach((turn, index) => {
      if (turn == null || typeof turn.role !== 'string') {
        throw new InvalidArgumentError({
          functionName,
          argumentName: `${exampleName}.turns[${index}].role`,
          expected: "a role string such as 'user' or 'assistant'",
          received: turn?.role,
          fix: 'give every turn its role.',
        });
      }
      if (turn.role === 'assistant') lastAssistant = index;
    });
    return turns.map((turn, index) => ({
      ids: checkIds(functionName, `${exampleName}.turns[${index}].ids`, turn.ids, vocabularySize),
      scored:
        strategy === 'all' ||
        (strategy === 'assistant' ? turn.role === 'assistant' : index === lastAssistant),
    }));
  }
  if (!('prompt' in example) || !('completion' in example)) throw invalidExample();
  return [
    {
      ids: checkIds(functionName, `${exampleName}.prompt`, example.prompt, vocabularySize),
      scored: strategy === 'all',
    },
    {
      ids: checkIds(functionName, `${exampleName}.completion`, example.completion, vocabularySize),
      scored: true,
    },
  ];
}

/**
 * Turns one example into ids and labels: segments concatenated, EOS appended (scored when the
 * last segment is), labels −100 wherever a segment is not scored — decided by **position**, never
 * by comparing ids, so a pad id equal to EOS never masks a real EOS — then truncated to
 * `maxLength`. Pure; no tensors.
 *
 * @param exampleName how the example is named in error messages, e.g. `'examples[3]'`.
 */
export function buildConditionalSequence(
  functionName: string,
  example: ConditionalExample,
  exampleName: string,
  options: ResolvedConditionalLmOptions,
): ConditionalSequence {
  const segments = segmentsOf(functionName, example, exampleName, options);
  if (options.appendEos) {
    segments.push({ ids: [options.eosTokenId], scored: segments[segments.length - 1]!.scored });
  }
  const fullLength = segments.reduce((total, segment) => total + segment.ids.length, 0);
  const length = Math.min(fullLength, options.maxLength ?? fullLength);
  const skipped = options.truncation === 'start' ? fullLength - length : 0;
  const inputIds = new Int32Array(length);
  const labels = new Int32Array(length).fill(IGNORE_INDEX);
  let position = 0; // position in the untruncated sequence
  for (const segment of segments) {
    for (let index = 0; index < segment.ids.length; index++, position++) {
      const kept = position - skipped;
      if (kept < 0 || kept >= length) continue;
      const id = segment.ids[index]!;
      inputIds[kept] = id;
      if (segment.scored) labels[kept] = id;
    }
  }
  if (length > 0) labels[0] = IGNORE_INDEX;
  let scored = 0;
  for (let index = 0; index < length; index++) if (labels[index] !== IGNORE_INDEX) scored++;
  return { inputIds, labels, scored };
}
