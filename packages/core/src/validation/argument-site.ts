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
