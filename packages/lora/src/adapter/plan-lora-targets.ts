import { checkOptionKeys, InvalidArgumentError, isVariable } from '@lm-objectives/core';
import { checkRankFitsKernel } from './check-rank-fits-kernel';
import { LORA_OPTION_KEYS, type LoraOptions, resolveLoraOptions } from './lora-options';
import { checkOutputHeads, type LoraTargets, selectLoraTargets } from './lora-targets';

/** One linear a plan would adapt. */
export interface LoraPlannedTarget {
  readonly name: string;
  /** Rows of the kernel `[in, out]`. */
  readonly inputSize: number;
  /** Columns of the kernel `[in, out]`. */
  readonly outputSize: number;
  /** $r\,(\mathrm{in} + \mathrm{out})$: the parameters of $A$ `[in, r]` and $B$ `[r, out]`. */
  readonly adapterParameters: number;
}

/** What creating adapters with the same options would do, computed without changing anything. */
export interface LoraTargetPlan {
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  /** $\alpha/r$ or $\alpha/\sqrt r$. */
  readonly scaling: number;
  /** The linears that would be adapted, in model order. */
  readonly targets: readonly LoraPlannedTarget[];
  /** The linears that would be left alone. */
  readonly skipped: readonly string[];
  /** $\sum r\,(\mathrm{in}+\mathrm{out})$ over the targets: what would train. */
  readonly adapterParameters: number;
  /** The parameters of every linear passed in (kernel and bias). */
  readonly linearParameters: number;
  /** A fixed-width table of the targets, shapes and counts, for logs. */
  format(): string;
}

/** A kernel shape `[in, out]`, or a linear whose kernel (and bias) give it. */
export type LinearShape =
  | readonly [number, number]
  | {
      readonly kernel: { readonly shape: readonly number[] };
      readonly bias?: { readonly size: number };
    };

/** Options of {@link planLoraTargets}: the adapter settings and the targeting rule. */
export interface PlanLoraTargetsOptions extends LoraOptions {
  targets?: LoraTargets;
  /** The output head's linears, left out by `'all-linear'` (default: by name, see `isOutputHeadName`). */
  outputHeads?: readonly string[];
}

const FUNCTION_NAME = 'planLoraTargets';

function shapeOf(
  name: string,
  linear: LinearShape,
  functionName: string,
): [number, number, number] {
  const shape = Array.isArray(linear)
    ? linear
    : (linear as { kernel?: { shape?: unknown } })?.kernel?.shape;
  const valid =
    Array.isArray(shape) &&
    shape.length === 2 &&
    shape.every((size) => Number.isInteger(size) && size > 0);
  if (!valid) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: `linears['${name}']`,
      expected: 'a kernel shape [in, out] of positive integers, or { kernel, bias? }',
      received: linear,
      fix: "pass the model's linears ({ kernel, bias }) or their kernel shapes.",
    });
  }
  const [inputs, outputs] = shape as [number, number];
  const bias =
    Array.isArray(linear) || !isVariable((linear as { bias?: unknown }).bias)
      ? 0
      : (linear as { bias: { size: number } }).bias.size;
  return [inputs, outputs, inputs * outputs + bias];
}

/**
 * Builds a {@link LoraTargetPlan} over named kernel shapes (shared by the hand-written and
 * `tf.layers` dry runs); refuses, as creating the adapters would, a rank above a target's
 * $\min(\mathrm{in}, \mathrm{out})$.
 */
export function planFromShapes(
  functionName: string,
  shapes: ReadonlyMap<string, [number, number, number]>,
  options: PlanLoraTargetsOptions,
  candidateKind: string,
  outputHeads: readonly string[] | undefined,
): LoraTargetPlan {
  const { resolved } = resolveLoraOptions(functionName, options);
  const names = [...shapes.keys()];
  const selected = selectLoraTargets(
    functionName,
    names,
    options.targets,
    candidateKind,
    outputHeads,
  );
  const targets = selected.map((name) => {
    const [inputSize, outputSize] = shapes.get(name)!;
    checkRankFitsKernel(functionName, 'options.rank', resolved.rank, name, [inputSize, outputSize]);
    return {
      name,
      inputSize,
      outputSize,
      adapterParameters: resolved.rank * (inputSize + outputSize),
    };
  });
  const adapterParameters = targets.reduce((total, target) => total + target.adapterParameters, 0);
  const linearParameters = [...shapes.values()].reduce((total, [, , count]) => total + count, 0);
  return {
    rank: resolved.rank,
    alpha: resolved.alpha,
    rsLora: resolved.rsLora,
    scaling: resolved.scaling,
    targets,
    skipped: names.filter((name) => !selected.includes(name)),
    adapterParameters,
    linearParameters,
    format() {
      const width = Math.max(6, ...targets.map((target) => target.name.length));
      const lines = targets.map(
        (target) =>
          `${target.name.padEnd(width)}  [${target.inputSize}, ${target.outputSize}]`.padEnd(
            width + 16,
          ) + `${target.adapterParameters}`.padStart(10),
      );
      return [
        `${'linear'.padEnd(width)}  kernel`.padEnd(width + 16) + 'parameters'.padStart(10),
        ...lines,
        `${targets.length} of ${names.length} ${candidateKind} adapted at rank ${resolved.rank}: ${adapterParameters} trainable parameters (${((100 * adapterParameters) / Math.max(1, linearParameters)).toFixed(2)} % of the linears' ${linearParameters})`,
      ].join('\n');
    },
  };
}

/**
 * A dry run of `createLoraAdapters`: which linears `targets` selects, their kernel shapes and the
 * parameters each adapter would add ($r\,(\mathrm{in}+\mathrm{out})$), computed without creating,
 * freezing or changing anything. Throws exactly as `createLoraAdapters` would (a pattern matching
 * nothing lists the available names).
 *
 * @param linears the model's linears by name (`{ kernel, bias }`), or just their kernel shapes `[in, out]`.
 * @example
 * const plan = planLoraTargets(model.linears, { rank: 4, targets: 'all-linear' });
 * console.log(plan.format()); // one row per linear, then the total
 */
export function planLoraTargets(
  linears: Readonly<Record<string, LinearShape>>,
  options: PlanLoraTargetsOptions = {},
): LoraTargetPlan {
  checkOptionKeys(FUNCTION_NAME, options, [...LORA_OPTION_KEYS, 'targets', 'outputHeads']);
  if (linears == null || typeof linears !== 'object' || Array.isArray(linears)) {
    throw new InvalidArgumentError({
      functionName: FUNCTION_NAME,
      argumentName: 'linears',
      expected:
        'an object of named linears { name: { kernel, bias? } } or kernel shapes { name: [in, out] }',
      received: linears,
      fix: "pass the model's linears by name, e.g. model.linears.",
    });
  }
  const shapes = new Map(
    Object.entries(linears).map(([name, linear]) => [name, shapeOf(name, linear, FUNCTION_NAME)]),
  );
  const names = [...shapes.keys()];
  return planFromShapes(
    FUNCTION_NAME,
    shapes,
    options,
    'linears',
    checkOutputHeads(FUNCTION_NAME, options.outputHeads, names),
  );
}
