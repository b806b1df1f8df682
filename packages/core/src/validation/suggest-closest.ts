/**
 * A name reduced to what a typo usually keeps: lowercase letters and digits. `weight_decay`,
 * `weight-decay`, `WeightDecay` and `weightDecay` all become `weightdecay`.
 */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * The optimal-string-alignment distance between `a` and `b`: insertions, deletions,
 * substitutions and swaps of two neighbours each cost 1 (`replce` → `replace` is 1, `lenght` →
 * `length` is 1).
 */
function editDistance(a: string, b: string): number {
  const columns = b.length + 1;
  // Three rows of the dynamic-programming table: two back (for swaps), one back, and the current.
  let twoBack = new Array<number>(columns).fill(0);
  let previous = Array.from({ length: columns }, (_, index) => index);
  let current = new Array<number>(columns).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, twoBack[j - 2]! + 1);
      }
      current[j] = best;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
}

/**
 * The candidate closest to `name`, for "did you mean …?" hints; `undefined` when none is close.
 *
 * Names are compared case-insensitively with `_`, `-` and spaces removed, so `weight_decay` finds
 * `weightDecay`, `learningrate` finds `learningRate` and `on_progress` finds `onProgress`; then by
 * edit distance $d$ (insertions, deletions, substitutions and neighbour swaps), accepting
 * $d \le \max(1, \lfloor n/3 \rfloor)$ for the longer normalised length $n$. Ties go to the
 * earlier candidate. `name` itself is never suggested.
 *
 * @example
 * suggestClosest('replce', ['replace']); // 'replace'
 * suggestClosest('lr', ['learningRate']); // undefined
 */
export function suggestClosest(name: string, candidates: readonly string[]): string | undefined {
  const wanted = normalizeName(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const normalized = normalizeName(candidate);
    const distance = editDistance(wanted, normalized);
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, normalized.length) / 3));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
