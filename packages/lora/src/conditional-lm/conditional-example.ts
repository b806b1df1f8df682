/**
 * A context–target pair, **tokenized separately** (never found by searching a template inside
 * the ids: a tokenizer may merge differently in context and silently drop examples).
 */
export interface PromptCompletionExample {
  /** The context $x$: token ids. */
  readonly prompt: readonly number[] | Int32Array;
  /** The target $y$: token ids (EOS is appended by the objective). */
  readonly completion: readonly number[] | Int32Array;
}

/** One turn of a chat, tokenized on its own (include the chat template's own tokens in `ids`). */
export interface ChatTurn {
  /** `'assistant'` turns are the ones the `assistant` and `last` strategies score; any other role is context. */
  readonly role: string;
  readonly ids: readonly number[] | Int32Array;
}

/** A multi-turn conversation. */
export interface ChatExample {
  readonly turns: readonly ChatTurn[];
}

/** What the conditional objective accepts: a prompt–completion pair or a chat. */
export type ConditionalExample = PromptCompletionExample | ChatExample;

/**
 * Which tokens are scored:
 * - `'completion-only'` (default): the completion (for a chat, its last assistant turn), and EOS;
 * - `'all'`: every token, prompt included;
 * - `'assistant'`: every assistant turn (a prompt–completion pair: its completion);
 * - `'last'`: the last assistant turn only.
 *
 * The appended EOS is scored when the segment before it is.
 */
export type MaskingStrategy = 'completion-only' | 'all' | 'assistant' | 'last';

/** Whether `example` is a chat. */
export function isChatExample(example: ConditionalExample): example is ChatExample {
  return 'turns' in example;
}
