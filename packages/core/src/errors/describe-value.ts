/** `word` with its indefinite article: `an int32`, `a float32`. */
export function withArticle(word: string): string {
  // 'u' is left out: the dtype names starting with it (uint8, Uint8Array) start with a 'you' sound.
  return `${/^[aeio]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/**
 * A short, human-readable description of a received value for error messages: strings are quoted,
 * arrays and typed arrays show their length and first items, tensors their shape and dtype.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    const kind = Array.isArray(value) ? 'array' : value.constructor.name;
    const head = items
      .slice(0, 6)
      .map((item) => (item !== null && typeof item === 'object' ? '…' : String(item)));
    return `${kind} of length ${items.length} [${head.join(', ')}${items.length > 6 ? ', …' : ''}]`;
  }
  const maybeTensor = value as { shape?: unknown; dtype?: unknown; rank?: unknown };
  if (Array.isArray(maybeTensor.shape) && typeof maybeTensor.dtype === 'string') {
    return `${withArticle(maybeTensor.dtype)} tensor of shape [${maybeTensor.shape.join(', ')}]`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
