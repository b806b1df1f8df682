// Number formats the performance summary uses.

/** `8.24` → `8.2×`; ratios under 10 keep one decimal, larger ones none. */
export function ratio(value) {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2)}×`;
}

/** Milliseconds as seconds or milliseconds, whichever reads better. */
export function duration(milliseconds) {
  if (milliseconds >= 1000)
    return `${(milliseconds / 1000).toFixed(milliseconds >= 10_000 ? 0 : 1)} s`;
  if (milliseconds >= 10) return `${milliseconds.toFixed(0)} ms`;
  return `${milliseconds.toFixed(2)} ms`;
}

/** Bytes as MiB. */
export function mebibytes(bytes) {
  return `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`;
}

/** A rate of items per second: `12605668` → `12.6 M`. */
export function perSecond(value, unit) {
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)} M ${unit}/s`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k ${unit}/s`;
  return `${value.toFixed(1)} ${unit}/s`;
}

/** A share as a percentage. */
export function percent(value) {
  return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)} %`;
}

/** An integer with thousands separators. */
export function integer(value) {
  return Math.round(value).toLocaleString('en-US');
}
