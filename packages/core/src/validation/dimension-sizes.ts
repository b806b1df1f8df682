/**
 * The sizes of named dimensions, shared by the checks of one call: the first tensor checked with a
 * name (`'vocabulary'`) binds it, later ones must agree. A plain, mutable record; pre-fill it to
 * impose sizes (`{ batch: batch.size }`). See `checkTensor`.
 */
export type DimensionSizes = Record<string, number>;

/** Which argument bound each name of a {@link DimensionSizes} record, for the error messages. */
const boundBy = new WeakMap<DimensionSizes, Map<string, string>>();

/** Records that `argumentName` bound `name` to `size` in `dimensions`. */
export function bindDimension(
  dimensions: DimensionSizes,
  name: string,
  size: number,
  argumentName: string,
): void {
  dimensions[name] = size;
  let sources = boundBy.get(dimensions);
  if (!sources) {
    sources = new Map();
    boundBy.set(dimensions, sources);
  }
  sources.set(name, argumentName);
}

/** The argument that bound `name` in `dimensions`, or `undefined` when the caller set it directly. */
export function dimensionSource(dimensions: DimensionSizes, name: string): string | undefined {
  return boundBy.get(dimensions)?.get(name);
}
