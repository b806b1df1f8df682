import { checkTokenIds, InvalidArgumentError } from '@lm-objectives/core';
import { type ConditionalExample, isChatExample } from '../conditional-example';
import type { ConditionalTokenAction } from '../conditional-lm-batch';
import type { ResolvedConditionalLmOptions } from '../conditional-lm-options';

/** A run of token ids of one example, with its role and whether the strategy scores it. */
export interface ExampleSegment {
  readonly ids: Int32Array;
  readonly action: ConditionalTokenAction;
  readonly scored: boolean;
}

/** The ids of one segment, checked: integers in $[0, V)$, copied into an `Int32Array`. */
function checkIds(
  functionName: string,
  argumentName: string,
  ids: unknown,
  vocabularySize: number | undefined,
): Int32Array {
  return checkTokenIds({ functionName, argumentName }, ids, { vocabularySize });
}

/**
 * The turns of a chat: an assistant turn is a `completion` when the strategy targets it (every
 * assistant turn under `assistant` and `all`, the last one under `completion-only` and `last`),
 * every other turn is `prompt`; a turn is scored when it is a completion, or always under `all`.
 */
function chatSegments(
  functionName: string,
  turns: unknown,
  exampleName: string,
  options: ResolvedConditionalLmOptions,
): ExampleSegment[] {
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
  const { strategy, vocabularySize } = options;
  const everyAssistantTurn = strategy === 'assistant' || strategy === 'all';
  return turns.map((turn, index) => {
    const target = turn.role === 'assistant' && (everyAssistantTurn || index === lastAssistant);
    return {
      ids: checkIds(functionName, `${exampleName}.turns[${index}].ids`, turn.ids, vocabularySize),
      action: target ? 'completion' : 'prompt',
      scored: target || strategy === 'all',
    };
  });
}

/**
 * The segments of an example, in order: a prompt–completion pair's prompt (scored only under
 * `all`) and completion (always scored), or a chat's turns (see {@link chatSegments}). Checks
 * every id on the way.
 *
 * @param exampleName how the example is named in error messages, e.g. `'examples[3]'`.
 */
export function conditionalExampleSegments(
  functionName: string,
  example: ConditionalExample,
  exampleName: string,
  options: ResolvedConditionalLmOptions,
): ExampleSegment[] {
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
    return chatSegments(functionName, example.turns, exampleName, options);
  }
  if (!('prompt' in example) || !('completion' in example)) throw invalidExample();
  const { vocabularySize, strategy } = options;
  return [
    {
      ids: checkIds(functionName, `${exampleName}.prompt`, example.prompt, vocabularySize),
      action: 'prompt',
      scored: strategy === 'all',
    },
    {
      ids: checkIds(functionName, `${exampleName}.completion`, example.completion, vocabularySize),
      action: 'completion',
      scored: true,
    },
  ];
}
