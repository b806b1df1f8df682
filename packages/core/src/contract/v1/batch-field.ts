/** The element types a batch field can hold (`bool` is stored as 0/1 in a `Uint8Array`). */
export type BatchFieldDtype = 'int32' | 'float32' | 'bool';

/** The typed array that stores each {@link BatchFieldDtype}. */
export interface BatchFieldArrays {
  int32: Int32Array;
  float32: Float32Array;
  bool: Uint8Array;
}

/**
 * One array of a batch, on the data side: plain typed-array data in row-major order with its
 * shape, so that it can be built in a worker, sent with `postMessage`, inspected and visualised
 * without TensorFlow.js.
 *
 * @typeParam Dtype the element type; it fixes the typed array of `data`.
 */
export interface BatchField<Dtype extends BatchFieldDtype = BatchFieldDtype> {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly data: BatchFieldArrays[Dtype];
}

/**
 * The declaration of a batch field: its element type, its shape as named dimensions (resolved per
 * batch through `ObjectiveBatchV1.dimensions`, e.g. `['batch', 'sequence']`) and what it means.
 */
export interface BatchFieldSpec {
  /** The element type of the field's data. */
  readonly dtype: BatchFieldDtype;
  /** The field's shape as named dimensions, each sized by the batch's `dimensions`. */
  readonly dimensions: readonly string[];
  /** What the field holds, in one sentence (shown by batch inspectors and the docs). */
  readonly description: string;
}
