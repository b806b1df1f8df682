import type { ConformanceCheck } from '../conformance-check';
import type { CheckContext, LossValues } from '../internal/check-context';
import { ConformanceSkip, failIfAny } from '../internal/check-outcome';
import { closeEnough, formatNumber } from '../internal/numbers';

/** The normaliser of each part: its own, or (shared normalisation) the sum over all parts. */
function normalisers(context: CheckContext, perPart: Readonly<Record<string, number>>) {
  const names = context.objective.partNames;
  if (context.options.normalisation === 'per-part') return perPart;
  const total = names.reduce((sum, name) => sum + (perPart[name] ?? 0), 0);
  return Object.fromEntries(names.map((name) => [name, total]));
}

/** The problems with `loss_p = sum_p / N_p` and `L = Σ w_p loss_p` in one evaluation. */
function arithmeticProblems(
  context: CheckContext,
  values: LossValues,
  perPartNormaliser: Readonly<Record<string, number>>,
  label: string,
): string[] {
  const { partWeights, valueTolerance, normalisation } = context.options;
  const normaliser = normalisers(context, perPartNormaliser);
  const problems: string[] = [];
  let total = 0;
  for (const name of context.objective.partNames) {
    const part = values.parts[name]!;
    total += (partWeights[name] ?? 1) * part.loss;
    const divisor = normaliser[name]!;
    if (divisor === 0) continue; // the zero-count check's case
    const expected = part.sum / divisor;
    if (!closeEnough(part.loss, expected, valueTolerance)) {
      const what =
        normalisation === 'shared'
          ? 'the sum of all parts’ normalisers'
          : `the normaliser of '${name}'`;
      problems.push(
        `${label}: parts.${name}.loss is ${formatNumber(part.loss)}, but sum / normaliser = ${formatNumber(part.sum)} / ${formatNumber(divisor)} = ${formatNumber(expected)} (${what}). Return loss = sum / (numItemsInBatch.${name} ?? count), e.g. from core's tokenCrossEntropy.`,
      );
    }
  }
  if (!closeEnough(values.loss, total, valueTolerance)) {
    const weights = Object.keys(partWeights).length > 0;
    problems.push(
      `${label}: loss is ${formatNumber(values.loss)}, but the ${weights ? 'weighted ' : ''}sum of the parts’ losses is ${formatNumber(total)}. The total must be ${weights ? 'Σ w_p · loss_p with the partWeights you declared' : 'the sum of the parts (declare partWeights if yours are weighted)'}.`,
    );
  }
  return problems;
}

/** The loss, every part and every metric are finite float32 scalars. */
export const lossFiniteScalarCheck: ConformanceCheck = {
  id: 'loss-finite-scalar',
  title: 'computeLoss returns a finite float32 scalar loss, and finite parts and metrics',
  run(context) {
    const values = context.evaluate(context.createBatch());
    const problems: string[] = [];
    if (values.lossShape.length !== 0) {
      problems.push(
        `loss has shape [${values.lossShape.join(', ')}]; return a scalar (reduce with the part's normaliser).`,
      );
    }
    if (values.lossDtype !== 'float32') {
      problems.push(`loss has dtype ${values.lossDtype}; return float32.`);
    }
    if (!Number.isFinite(values.loss)) {
      problems.push(`loss is ${values.loss}: look for log(0), 0/0 or overflow in the tensor side.`);
    }
    for (const [name, part] of Object.entries(values.parts)) {
      for (const [member, value] of Object.entries(part)) {
        if (!Number.isFinite(value)) problems.push(`parts.${name}.${member} is ${value}.`);
      }
      if (part.count < 0) problems.push(`parts.${name}.count is negative (${part.count}).`);
    }
    for (const [name, value] of Object.entries(values.metrics)) {
      if (!Number.isFinite(value)) problems.push(`metrics.${name} is ${value}.`);
    }
    failIfAny(problems, 'The loss result is not finite and scalar:');
    return undefined;
  },
};

/** `count` matches the batch, `loss = sum / count`, and the total is the (weighted) sum of parts. */
export const partArithmeticCheck: ConformanceCheck = {
  id: 'part-arithmetic',
  title:
    'each part reports count = batch.counts, loss = sum / normaliser, and the total adds the parts',
  run(context) {
    const batch = context.createBatch();
    const values = context.evaluate(batch);
    const problems: string[] = [];
    const counts = batch.counts as Record<string, number>;
    for (const name of context.objective.partNames) {
      const count = values.parts[name]!.count;
      if (!closeEnough(count, counts[name]!, context.options.valueTolerance)) {
        problems.push(
          `parts.${name}.count is ${formatNumber(count)}, but batch.counts.${name} is ${counts[name]}. The data side's count must be exactly what the tensor side counts, or gradient accumulation normalises wrongly.`,
        );
      }
    }
    problems.push(...arithmeticProblems(context, values, counts, 'without numItemsInBatch'));
    failIfAny(problems, 'The parts do not add up:');
    return undefined;
  },
};

function changedMetrics(base: LossValues, other: LossValues, tolerance: number): string[] {
  return Object.keys(base.metrics)
    .filter(
      (name) => !closeEnough(other.metrics[name] ?? Number.NaN, base.metrics[name]!, tolerance),
    )
    .map(
      (name) =>
        `metrics.${name} changed from ${formatNumber(base.metrics[name]!)} to ${formatNumber(other.metrics[name] ?? Number.NaN)}.`,
    );
}

/** `numItemsInBatch` replaces each part's normaliser and changes nothing else. */
export const numItemsInBatchCheck: ConformanceCheck = {
  id: 'num-items-in-batch',
  title: 'numItemsInBatch replaces the normaliser of its part and changes nothing else',
  run(context) {
    const { objective, options } = context;
    const batch = context.createBatch();
    const counts = batch.counts as Record<string, number>;
    const base = context.evaluate(batch);
    // 2·count + 3: differs from the count (also when it is 0), so a part that ignores it shows.
    const window = Object.fromEntries(
      objective.partNames.map((name) => [name, 2 * counts[name]! + 3]),
    );
    const problems: string[] = [];
    const all = context.evaluate(batch, window);
    for (const name of objective.partNames) {
      const before = base.parts[name]!;
      const after = all.parts[name]!;
      for (const member of ['sum', 'count'] as const) {
        if (!closeEnough(after[member], before[member], options.valueTolerance)) {
          problems.push(
            `parts.${name}.${member} changed from ${formatNumber(before[member])} to ${formatNumber(after[member])} when numItemsInBatch was given; only the normaliser may change.`,
          );
        }
      }
    }
    problems.push(
      ...arithmeticProblems(context, all, window, `with numItemsInBatch ${JSON.stringify(window)}`),
      ...changedMetrics(base, all, options.valueTolerance),
    );
    if (options.normalisation === 'per-part' && objective.partNames.length > 1) {
      for (const name of objective.partNames) {
        const one = context.evaluate(batch, { [name]: window[name]! });
        for (const other of objective.partNames) {
          if (other === name) continue;
          if (
            !closeEnough(one.parts[other]!.loss, base.parts[other]!.loss, options.valueTolerance)
          ) {
            problems.push(
              `numItemsInBatch.${name} alone changed parts.${other}.loss from ${formatNumber(base.parts[other]!.loss)} to ${formatNumber(one.parts[other]!.loss)}; each part must read only its own entry.`,
            );
          }
        }
      }
    }
    failIfAny(
      problems,
      'numItemsInBatch is not applied as the contract says (loss_p = sum_p / numItemsInBatch[p], everything else unchanged):',
    );
    return undefined;
  },
};

/** Parts that count nothing give exactly 0 and a zero gradient, never NaN. */
export const zeroCountCheck: ConformanceCheck = {
  id: 'zero-count',
  title: 'a part with zero counted positions gives loss 0, sum 0 and a zero gradient (never NaN)',
  run(context) {
    const { objective } = context;
    const batches = context.fixtureBatches();
    const weights = context.weights();
    const problems: string[] = [];
    let checked = 0;
    for (const [label, batch] of batches) {
      const counts = batch.counts as Record<string, number>;
      const empty = objective.partNames.filter((name) => counts[name] === 0);
      if (empty.length === 0) continue;
      const values = context.evaluate(batch);
      if (!Number.isFinite(values.loss)) {
        problems.push(`${label}: loss is ${values.loss} with parts ${empty.join(', ')} empty.`);
      }
      const targets = empty.length === objective.partNames.length ? [...empty, ''] : empty;
      for (const name of targets) {
        checked++;
        const what = name === '' ? 'loss' : `parts.${name}.loss`;
        if (name !== '') {
          const part = values.parts[name]!;
          if (part.loss !== 0 || part.sum !== 0 || part.count !== 0) {
            problems.push(
              `${label}: part '${name}' counts nothing, yet reports loss ${part.loss}, sum ${part.sum}, count ${part.count}; expected 0, 0, 0. Guard the division: with count 0 the loss is 0 (core's tokenCrossEntropy does this).`,
            );
            continue;
          }
        } else if (values.loss !== 0) {
          problems.push(
            `${label}: every part counts nothing, yet loss is ${values.loss}; expected 0.`,
          );
        }
        const { gradients } = context.gradients(batch, (result) =>
          name === '' ? result.loss : result.parts[name]!.loss,
        );
        gradients.forEach((gradient, index) => {
          if (gradient?.some((value) => value !== 0)) {
            const bad = gradient.find((value) => value !== 0);
            problems.push(
              `${label}: the gradient of ${what} with respect to ${weights[index]!.label} is not zero (e.g. ${bad}) although nothing is counted. A 0/0 or a NaN masked by multiplication leaks into the gradient: select with counts, not by multiplying.`,
            );
          }
        });
      }
    }
    if (checked === 0) {
      throw new ConformanceSkip(
        'no part counts zero items in the fixture’s batches; pass zeroCountExamples (e.g. examples too short to mask) to check this rule.',
      );
    }
    failIfAny(problems, 'Empty parts are not handled:');
    return undefined;
  },
};
