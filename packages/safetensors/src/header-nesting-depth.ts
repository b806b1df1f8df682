/**
 * The deepest nesting of arrays and objects in a JSON text, found without parsing it (brackets
 * inside strings, escaped quotes included, do not count), stopping as soon as it exceeds `limit`.
 * A valid safetensors header nests three levels (header → tensor entry → shape); reading only
 * headers nested at most {@link MAX_HEADER_DEPTH} levels keeps every later step (parsing,
 * describing a bad value in a message) far from the engine's recursion limit.
 *
 * @returns the depth, or `limit + 1` as soon as it is exceeded.
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** The deepest nesting of arrays and objects a header may have (valid headers have 3). */
export const MAX_HEADER_DEPTH = 64;
