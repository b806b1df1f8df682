/**
 * Whether `value` carries the `Symbol.for(markerName)` marker: error checks that keep working when
 * two copies of this package end up in one bundle (where `instanceof` fails).
 */
export function hasMarker(value: unknown, markerName: string): boolean {
  return (
    value != null &&
    typeof value === 'object' &&
    (value as Record<symbol, unknown>)[Symbol.for(markerName)] === true
  );
}
