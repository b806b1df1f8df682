const marker = 'lm-objectives.error';
const symbol = Symbol.for(marker);

/**
 * Base class of every error thrown by lm-objectives packages.
 *
 * Checks use a `Symbol.for` marker rather than `instanceof`, so they keep working when two copies
 * of `@lm-objectives/core` end up in one bundle (duplicate installs, mixed ESM/CJS).
 */
export class LmObjectivesError extends Error {
  protected readonly [symbol] = true;

  /** @param options.cause the underlying error, when this one wraps another. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LmObjectivesError';
  }

  /** Whether `error` is an lm-objectives error of any kind, from any copy of this package. */
  static isInstance(error: unknown): error is LmObjectivesError {
    return hasMarker(error, marker);
  }
}

/** Whether `value` is an object carrying the `Symbol.for(markerName)` marker. */
export function hasMarker(value: unknown, markerName: string): boolean {
  return (
    value != null &&
    typeof value === 'object' &&
    Symbol.for(markerName) in value &&
    (value as Record<symbol, unknown>)[Symbol.for(markerName)] === true
  );
}
