// Number formatting for the status line and the parameter counts: fixed rules, so the page and
// the tests agree on every string.

/** `1234567` → `'1.23 M'`, `45600` → `'45.6 k'`, `987` → `'987'`. Three significant digits. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toPrecision(3)} G`;
  if (magnitude >= 1e6) return `${(value / 1e6).toPrecision(3)} M`;
  if (magnitude >= 1e3) return `${(value / 1e3).toPrecision(3)} k`;
  return String(Math.round(value));
}

/** A fraction in [0, 1] as a percentage with `digits` decimals: `0.0213` → `'2.13 %'`. */
export function formatPercent(fraction: number | undefined, digits = 1): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A loss with four decimals, or a dash before the first step. */
export function formatLoss(loss: number | undefined): string {
  return loss === undefined || !Number.isFinite(loss) ? '—' : loss.toFixed(4);
}

/** Tokens per second, e.g. `'1.52 k tokens/s'`. */
export function formatRate(tokensPerSecond: number | undefined): string {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond)) return '—';
  return `${formatCount(tokensPerSecond)} tokens/s`;
}
