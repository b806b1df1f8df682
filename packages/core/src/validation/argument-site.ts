/**
 * Where a checked value came from, for the error message: the public function that received it
 * and the argument's name, with a path into options or arrays where it helps
 * (`{ functionName: 'createBertBatch', argumentName: 'options.maskTokenId' }`).
 */
export interface ArgumentSite {
  /** The public function the user called, e.g. `'crossEntropy'`. */
  functionName: string;
  /** The argument's name as the user wrote it, e.g. `'options.ignoreIndex'` or `'examples[3]'`. */
  argumentName: string;
}

/**
 * An {@link ArgumentSite}, or a function that makes one: checks that run in hot loops (one list
 * of ids per sentence) call it only when they throw, so that naming the value (`documents[3][7]`)
 * costs nothing while every value is valid.
 */
export type LazyArgumentSite = ArgumentSite | (() => ArgumentSite);

/** The site itself: `site`, or what it makes. */
export function resolveSite(site: LazyArgumentSite): ArgumentSite {
  return typeof site === 'function' ? site() : site;
}
