import { checkNumberInRange, InvalidArgumentError } from '@lm-objectives/core';
import { checkJsonObject } from './check-json-value';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointManifest,
  type CheckpointTensorEntry,
  type CheckpointTensorGroup,
} from './training-checkpoint';

const MANIFEST_FIELDS = [
  'format',
  'version',
  'objectiveId',
  'step',
  'randomState',
  'optimizer',
  'maxGradientNorm',
  'tensors',
  'metadata',
] as const;
const OPTIMIZER_FIELDS = ['kind', 'steps', 'beta1', 'beta2', 'epsilon', 'weightDecay'] as const;
const TENSOR_FIELDS = ['group', 'index', 'name', 'dtype', 'shape'] as const;
const FIX =
  'use the checkpoint as saveCheckpoint() wrote it; an edited or damaged manifest cannot be trusted.';

interface Site {
  readonly functionName: string;
  readonly argumentName: string;
}

function invalid(site: Site, expected: string, received: unknown): InvalidArgumentError {
  return new InvalidArgumentError({ ...site, expected, received, fix: FIX });
}

function at(site: Site, path: string): Site {
  return { functionName: site.functionName, argumentName: `${site.argumentName}${path}` };
}

/** A plain object with exactly `fields` (all present, nothing else). */
function checkFields(
  site: Site,
  value: unknown,
  fields: readonly string[],
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(site, `an object with ${fields.join(', ')}`, value);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!fields.includes(key)) throw invalid(at(site, `.${key}`), 'no such field', record[key]);
  }
  for (const key of fields) {
    if (!(key in record))
      throw invalid(at(site, `.${key}`), 'a value (the field is required)', undefined);
  }
  return record;
}

function checkCount(site: Site, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  return checkNumberInRange(site, value, { min: 0, max, integer: true }, FIX);
}

/** Four 32-bit words, not all zero: a `RandomSource` state (`getState()`). */
export function checkRandomState(site: Site, value: unknown): [number, number, number, number] {
  const words = value as unknown[];
  const valid =
    Array.isArray(words) &&
    words.length === 4 &&
    words.every(
      (word) => Number.isInteger(word) && (word as number) >= 0 && (word as number) < 2 ** 32,
    ) &&
    words.some((word) => word !== 0);
  if (!valid) {
    throw invalid(site, 'four integers in [0, 2^32), not all zero (a random-source state)', value);
  }
  return words as [number, number, number, number];
}

function checkOptimizer(site: Site, value: unknown, step: number): CheckpointManifest['optimizer'] {
  const record = checkFields(site, value, OPTIMIZER_FIELDS);
  if (record['kind'] !== 'adamw') throw invalid(at(site, '.kind'), "'adamw'", record['kind']);
  const steps = record['steps'];
  if (!Array.isArray(steps)) throw invalid(at(site, '.steps'), 'an array of update counts', steps);
  // A variable is updated at most once per step: t_i ≤ step.
  steps.forEach((count, index) => {
    checkCount(at(site, `.steps[${index}]`), count, step);
  });
  const rate = (name: string) =>
    checkNumberInRange(
      at(site, `.${name}`),
      record[name],
      { min: 0, max: 1, maxExclusive: true },
      FIX,
    );
  const nonNegative = (name: string) =>
    checkNumberInRange(at(site, `.${name}`), record[name], { min: 0 }, FIX);
  return {
    kind: 'adamw',
    steps: steps as number[],
    beta1: rate('beta1'),
    beta2: rate('beta2'),
    epsilon: nonNegative('epsilon'),
    weightDecay: nonNegative('weightDecay'),
  };
}

const GROUPS: readonly CheckpointTensorGroup[] = [
  'model',
  'objective',
  'first-moment',
  'second-moment',
];

function checkTensorEntry(site: Site, value: unknown): CheckpointTensorEntry {
  const record = checkFields(site, value, TENSOR_FIELDS);
  const group = record['group'];
  if (!GROUPS.includes(group as CheckpointTensorGroup)) {
    throw invalid(at(site, '.group'), GROUPS.map((name) => `'${name}'`).join(', '), group);
  }
  const dtype = record['dtype'];
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw invalid(at(site, '.dtype'), "'float32' or 'int32'", dtype);
  }
  if (typeof record['name'] !== 'string')
    throw invalid(at(site, '.name'), 'a string', record['name']);
  const shape = record['shape'];
  if (!Array.isArray(shape)) throw invalid(at(site, '.shape'), 'an array of sizes', shape);
  let size = 1;
  shape.forEach((dimension, axis) => {
    size *= checkCount(at(site, `.shape[${axis}]`), dimension, 2 ** 31 - 1);
  });
  if (size > 2 ** 31 - 1) throw invalid(at(site, '.shape'), 'at most 2^31 − 1 values', shape);
  return {
    group: group as CheckpointTensorGroup,
    index: checkCount(at(site, '.index'), record['index']),
    name: record['name'],
    dtype,
    shape: shape as number[],
  };
}

/**
 * The layout every trainer checkpoint has: $W \ge 1$ weights (`model` / `objective`), then for each
 * trained variable $i$ its `first-moment` and `second-moment` (float32, the weight's shape, index
 * $i$), so $3W$ entries, and one update count per weight.
 */
function checkLayout(site: Site, tensors: readonly CheckpointTensorEntry[], steps: number): void {
  const weights = tensors.length / 3;
  if (!Number.isInteger(weights) || weights < 1 || steps !== weights) {
    throw invalid(
      site,
      `3 × W entries (W ≥ 1 weights, each with two moments) and W = optimizer.steps.length = ${steps}`,
      `${tensors.length} entries`,
    );
  }
  tensors.forEach((entry, position) => {
    const isWeight = position < weights;
    const owner = isWeight ? entry : tensors[Math.floor((position - weights) / 2)]!;
    const expectedGroup = isWeight
      ? entry.group === 'model' || entry.group === 'objective'
      : entry.group === ((position - weights) % 2 === 0 ? 'first-moment' : 'second-moment');
    const consistent =
      expectedGroup &&
      (isWeight ||
        (entry.index === Math.floor((position - weights) / 2) &&
          entry.dtype === 'float32' &&
          entry.shape.length === owner.shape.length &&
          entry.shape.every((size, axis) => size === owner.shape[axis])));
    if (!consistent) {
      throw invalid(
        at(site, `[${position}]`),
        isWeight
          ? "a 'model' or 'objective' weight"
          : `the ${(position - weights) % 2 === 0 ? 'first' : 'second'} moment of weight ${Math.floor((position - weights) / 2)} (float32, shape [${owner.shape.join(', ')}])`,
        `${entry.group} ${entry.index} ${entry.dtype} [${entry.shape.join(', ')}]`,
      );
    }
  });
}

/**
 * Checks every field of a checkpoint manifest before anything uses it: the format and version,
 * the objective id, `step` (an integer ≥ 0), the random-source state (four 32-bit words, not all
 * zero), AdamW's kind, hyper-parameters ($\beta_1, \beta_2 \in [0, 1)$, $\varepsilon, \lambda \ge 0$)
 * and update counts ($0 \le t_i \le$ `step`), the clipping threshold (`null` or $> 0$), every
 * tensor entry (group, index, dtype `float32`/`int32`, shape) and their layout, and that `metadata`
 * is plain JSON. Unknown fields are refused too. Returns the manifest, typed.
 */
export function checkCheckpointManifest(
  value: unknown,
  functionName: string,
  argumentName = 'checkpoint.manifest',
): CheckpointManifest {
  const site: Site = { functionName, argumentName };
  const record = checkFields(site, value, MANIFEST_FIELDS);
  if (record['format'] !== CHECKPOINT_FORMAT) {
    throw invalid(at(site, '.format'), `'${CHECKPOINT_FORMAT}'`, record['format']);
  }
  if (record['version'] !== CHECKPOINT_VERSION) {
    throw new InvalidArgumentError({
      ...at(site, '.version'),
      expected: `checkpoint version ${CHECKPOINT_VERSION}`,
      received: record['version'],
      fix: 'load it with the version of @lm-objectives/trainer that wrote it.',
    });
  }
  const objectiveId = record['objectiveId'];
  if (typeof objectiveId !== 'string' || objectiveId === '') {
    throw invalid(at(site, '.objectiveId'), 'an objective id', objectiveId);
  }
  const step = checkCount(at(site, '.step'), record['step']);
  const randomState = checkRandomState(at(site, '.randomState'), record['randomState']);
  const optimizer = checkOptimizer(at(site, '.optimizer'), record['optimizer'], step);
  const maxGradientNorm = record['maxGradientNorm'];
  if (maxGradientNorm !== null) {
    checkNumberInRange(
      at(site, '.maxGradientNorm'),
      maxGradientNorm,
      { min: 0, minExclusive: true },
      FIX,
    );
  }
  const tensorList = record['tensors'];
  if (!Array.isArray(tensorList))
    throw invalid(at(site, '.tensors'), 'an array of tensor entries', tensorList);
  const tensors = tensorList.map((entry, index) =>
    checkTensorEntry(at(site, `.tensors[${index}]`), entry),
  );
  checkLayout(at(site, '.tensors'), tensors, optimizer.steps.length);
  const metadata = checkJsonObject(record['metadata'], functionName, `${argumentName}.metadata`);
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    objectiveId,
    step,
    randomState,
    optimizer,
    maxGradientNorm: maxGradientNorm as number | null,
    tensors,
    metadata,
  };
}

/** The number of values of a tensor entry: the product of its shape. */
export function entrySize(entry: CheckpointTensorEntry): number {
  return entry.shape.reduce((product, dimension) => product * dimension, 1);
}
