/**
 * Rounds to the nearest integer, ties to even, as Python 3's `round` does: `roundHalfEven(4.5) = 4`,
 * `roundHalfEven(5.5) = 6`, unlike `Math.round` (which rounds ties up). The original BERT data
 * generator selects $\min(P, \max(1, \mathrm{round}(n \cdot r)))$ tokens with this rounding.
 *
 * The input is the float64 value JavaScript computed (e.g. `30 * 0.15`, which is exactly 4.5 in
 * binary floating point, as in Python), so both languages see the same number and round it alike.
 */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
