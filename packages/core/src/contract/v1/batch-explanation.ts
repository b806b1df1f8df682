/**
 * What the data side did to one position. The listed values are the ones the lm-objectives
 * objectives use; an objective may report its own (any string).
 *
 * - `masked` / `random` / `kept`: a BERT-selected position replaced by `[MASK]`, by a random
 *   token, or left unchanged (all three are scored);
 * - `blank`: a GLM `[MASK]` standing for a span; `span`: a token of a span being generated;
 * - `prompt` / `completion`: a conditional (LoRA, prefix-tuning) example's context and target;
 * - `context`: an ordinary input token; `special`: `[CLS]`, `[SEP]`, …; `padding`.
 */
export type TokenAction =
  | 'masked'
  | 'random'
  | 'kept'
  | 'blank'
  | 'span'
  | 'prompt'
  | 'completion'
  | 'context'
  | 'special'
  | 'padding'
  | (string & {});

/**
 * One position of one row, as an objective explains it. Everything but `inputId`, `label` and
 * `weight` is optional.
 */
export interface TokenExplanation {
  /** The id the model reads at this position. */
  readonly inputId: number;
  /** The id this position is trained to predict, or `null` when it is ignored (label −100). */
  readonly label: number | null;
  /** Its weight in the loss ($w_t$; 0 when ignored). */
  readonly weight: number;
  /** The loss part that scores it (e.g. `'maskedLm'`), when scored. */
  readonly part?: string;
  /** What the data side did here. */
  readonly action?: TokenAction;
  /** The id before corruption (BERT's masked and random positions). */
  readonly originalId?: number;
  /** The position ids the model receives (one for most models; GLM's two: position and block position). */
  readonly positions?: readonly number[];
  /** The segment (token type) id. */
  readonly segment?: number;
  /** What this position may attend to, in words: `'all'`, `'≤ self'`, `'< 12 or ≤ self'`, `'none (padding)'`. */
  readonly attention?: string;
}

/** One row (example) of a batch, explained. */
export interface RowExplanation {
  readonly tokens: readonly TokenExplanation[];
  /** Facts about the whole row: a sentence-level label (NSP), the span order (GLM), … */
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * What an objective's optional `explainBatch` hook returns: its batch, position by position, in
 * terms every objective shares (batch inspectors, the demo's views and the trainer's
 * `explainBatch` read it).
 */
export interface ObjectiveBatchExplanation {
  readonly rows: readonly RowExplanation[];
}
