import {
  formatShape,
  InvalidArgumentError,
  isTensor,
  linear,
  ShapeMismatchError,
} from '@lm-objectives/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A linear layer of a model, reachable by its stable name: $y = x W + b$ with `kernel` $W$
 * `[in, out]` (the `tf.layers` layout) and an optional `bias` $b$ `[out]`.
 *
 * It has the shape LoRA's `createLoraAdapters(model.linears)` expects (`{ kernel, bias? }`).
 */
export interface NamedLinear {
  /** The stable name, e.g. `'layers.0.attention.query'`. */
  readonly name: string;
  /** float32 `[in, out]`. */
  readonly kernel: tf.Variable;
  /** float32 `[out]`, when the layer has one. */
  readonly bias?: tf.Variable;
  readonly inputSize: number;
  readonly outputSize: number;
  /**
   * What the model calls for this linear: core's `linear(x, kernel, bias)` (wasm-fast gradient),
   * or the outermost wrapper installed with `wrapLinear`.
   */
  readonly apply: (x: tf.Tensor) => tf.Tensor;
  /** How many wrappers are installed (0: the plain linear). */
  readonly wrapperCount: number;
}

/**
 * A replacement for a named linear's product, installed with `model.wrapLinear(name, wrapper)`.
 *
 * @param x float32 `[..., in]`, the linear's input.
 * @param next the product it replaces (the plain linear, or the wrapper installed before this one):
 *   call it for the base output, or ignore it to replace the product entirely.
 * @param layer the linear's weights and name.
 * @returns float32 `[..., out]`.
 * @example
 * // LoRA: y = xW + b + (α/r)·(xA)B
 * model.wrapLinear('layers.0.attention.query', (x, next) => tf.add(next(x), delta(x)));
 */
export type LinearWrapper = (
  x: tf.Tensor,
  next: (x: tf.Tensor) => tf.Tensor,
  layer: NamedLinear,
) => tf.Tensor;

/** The model's linears by name, with wrapper stacks. */
export interface LinearRegistry {
  readonly linears: Readonly<Record<string, NamedLinear>>;
  /** Adds a linear (while the model is built). */
  add(name: string, kernel: tf.Variable, bias?: tf.Variable): void;
  /** Runs the named linear (through its wrappers). */
  apply(name: string, x: tf.Tensor): tf.Tensor;
  /** Installs a wrapper on top of the named linear's stack; returns its removal. */
  wrap(name: string, wrapper: LinearWrapper): () => void;
}

/** Creates an empty {@link LinearRegistry}; `functionName` names the public method in errors. */
export function createLinearRegistry(functionName: string): LinearRegistry {
  const linears: Record<string, NamedLinear> = {};
  // Each installed wrapper is its own entry object, so that removing one installation never
  // removes another installation of the same function.
  const stacks = new Map<string, { readonly wrapper: LinearWrapper }[]>();

  const lookUp = (name: unknown): NamedLinear => {
    const found =
      typeof name === 'string' && Object.hasOwn(linears, name) ? linears[name] : undefined;
    if (!found) {
      const names = Object.keys(linears);
      throw new InvalidArgumentError({
        functionName,
        argumentName: 'name',
        expected: `the name of one of the model's ${names.length} linears (${names
          .slice(0, 8)
          .map((known) => `'${known}'`)
          .join(', ')}${names.length > 8 ? ', …' : ''})`,
        received: name,
        fix: "list them with Object.keys(model.linears); names look like 'layers.0.attention.query'.",
      });
    }
    return found;
  };

  /** The output of `stack[0..depth)` around the plain linear, with the output shape checked. */
  const run = (
    layer: NamedLinear,
    stack: readonly { readonly wrapper: LinearWrapper }[],
    depth: number,
    x: tf.Tensor,
  ): tf.Tensor => {
    if (depth === 0) return linear(x, layer.kernel, layer.bias);
    const { wrapper } = stack[depth - 1]!;
    const output = wrapper(x, (inner) => run(layer, stack, depth - 1, inner), layer);
    const expectedShape = [...x.shape.slice(0, -1), layer.outputSize];
    if (
      !isTensor(output) ||
      output.rank !== expectedShape.length ||
      output.shape.some((size, axis) => size !== expectedShape[axis])
    ) {
      throw new ShapeMismatchError({
        functionName: `the wrapper of linear '${layer.name}'`,
        argumentName: 'return value',
        expected: `a float32 tensor of shape ${formatShape(expectedShape)} (the input's leading shape and the linear's ${layer.outputSize} outputs)`,
        received: output,
        fix: 'return the output of the replaced product, e.g. tf.add(next(x), yourDelta(x)).',
      });
    }
    return output;
  };

  return {
    linears,
    add(name, kernel, bias) {
      const [inputSize, outputSize] = kernel.shape as [number, number];
      const stack: { readonly wrapper: LinearWrapper }[] = [];
      stacks.set(name, stack);
      const layer: NamedLinear = {
        name,
        kernel,
        ...(bias ? { bias } : {}),
        inputSize,
        outputSize,
        apply: (x) => run(layer, stack, stack.length, x),
        get wrapperCount() {
          return stack.length;
        },
      };
      linears[name] = layer;
    },
    apply(name, x) {
      return lookUp(name).apply(x);
    },
    wrap(name, wrapper) {
      const layer = lookUp(name);
      if (typeof wrapper !== 'function') {
        throw new InvalidArgumentError({
          functionName,
          argumentName: 'wrapper',
          expected: 'a function (x, next, layer) => tensor',
          received: wrapper,
          fix: 'pass a function returning the linear output, e.g. (x, next) => next(x).',
        });
      }
      const stack = stacks.get(layer.name)!;
      const entry = { wrapper };
      stack.push(entry);
      return () => {
        const index = stack.indexOf(entry);
        if (index >= 0) stack.splice(index, 1);
      };
    },
  };
}
