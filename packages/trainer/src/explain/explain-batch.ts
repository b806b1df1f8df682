import {
  type BatchField,
  checkOptionKeys,
  IGNORE_INDEX,
  InvalidArgumentError,
  type LossObjectiveV1,
  type ObjectiveBatchV1,
} from '@lm-objectives/core';
import type {
  BatchExplanation,
  ExplainableObjective,
  ExplainedRow,
  ExplainedToken,
  ObjectiveBatchExplanation,
  RowExplanation,
  TokenExplanation,
} from './batch-explanation';
import { summarizeAttention } from './summarize-attention';

/** Options of {@link explainBatch}. */
export interface ExplainBatchOptions {
  /** Turns an id into its text, for the `token` column (e.g. a tokenizer's `decode([id])`). */
  decode?: (id: number) => string;
  /** The rows to explain. Default: every row. */
  rows?: readonly number[];
}

/** What `explainBatch` reads from an objective: its id and, when present, its hook. */
type ExplainedObjective<Batch extends ObjectiveBatchV1> = Pick<LossObjectiveV1, 'objectiveId'> &
  ExplainableObjective<Batch>;

const INPUT_ID_NAMES = ['inputIds', 'input_ids', 'ids', 'tokenIds', 'tokens'];

/**
 * A per-token table of what a batch trains on: for every position, the token and its input id,
 * the label (or that it is ignored), the weight, what the data side did (masked / random / kept /
 * blank / prompt / completion…), positions, segment and an attention summary; plus row-level facts.
 *
 * The details come from the objective's optional `explainBatch(batch)` hook when it has one
 * (`source: 'objective'`). Otherwise they are inferred from the batch's declared fields
 * (`source: 'fields'`): an `inputIds`-like field, `labels` (−100 = ignored), `…Weights`,
 * `…Positions` + `…Ids` pairs (gathered labels, as BERT's masked LM), position, segment and
 * attention fields, and every other per-position or per-row field by name.
 *
 * Plain data for a web view; `formatBatchExplanation` renders it as aligned text (a CLI's `--explain`).
 */
export function explainBatch<Batch extends ObjectiveBatchV1>(
  objective: ExplainedObjective<Batch>,
  batch: Batch,
  options: ExplainBatchOptions = {},
): BatchExplanation {
  if (batch == null || typeof batch !== 'object' || batch.fields == null) {
    throw new InvalidArgumentError({
      functionName: 'explainBatch',
      argumentName: 'batch',
      expected: "a batch made by the objective's createBatch",
      received: batch,
      fix: 'pass objective.createBatch(examples, { random }).',
    });
  }
  checkOptionKeys('explainBatch', options, ['decode', 'rows']);
  const rowIndices = options.rows ?? Array.from({ length: batch.size }, (_, row) => row);
  for (const row of rowIndices) {
    if (!(Number.isInteger(row) && row >= 0 && row < batch.size)) {
      throw new InvalidArgumentError({
        functionName: 'explainBatch',
        argumentName: 'options.rows',
        expected: `row indices in [0, ${batch.size})`,
        received: row,
        fix: 'pass indices of rows of this batch.',
      });
    }
  }
  const hook = objective.explainBatch;
  const explained: ObjectiveBatchExplanation =
    typeof hook === 'function' ? hook.call(objective, batch) : explainFromFields(batch);
  if (!Array.isArray(explained?.rows) || explained.rows.length !== batch.size) {
    throw new InvalidArgumentError({
      functionName: 'explainBatch',
      argumentName: 'objective.explainBatch',
      expected: `an explanation with one row per batch row (${batch.size})`,
      received: explained,
      fix: "return { rows } with one entry per row from the objective's explainBatch.",
    });
  }
  const rows: ExplainedRow[] = rowIndices.map((row) => {
    const explainedRow: RowExplanation = explained.rows[row]!;
    return {
      row,
      facts: explainedRow.facts ?? {},
      tokens: explainedRow.tokens.map(
        (token, index): ExplainedToken => ({
          index,
          ...(options.decode ? { token: options.decode(token.inputId) } : {}),
          ...token,
        }),
      ),
    };
  });
  return {
    objectiveId: objective.objectiveId,
    source: typeof hook === 'function' ? 'objective' : 'fields',
    rows,
  };
}

interface FieldEntry {
  readonly name: string;
  readonly field: BatchField;
}

function rowValues(field: BatchField, row: number): ArrayLike<number> {
  const width = field.shape.slice(1).reduce((product, size) => product * size, 1);
  return field.data.subarray(row * width, (row + 1) * width);
}

/** The fallback: an explanation inferred from the batch's declared fields. */
function explainFromFields(batch: ObjectiveBatchV1): ObjectiveBatchExplanation & {
  rows: (RowExplanation & { tokens: (TokenExplanation & { fields?: Record<string, number> })[] })[];
} {
  const entries: FieldEntry[] = Object.entries(batch.fields).map(([name, field]) => ({
    name,
    field: field as BatchField,
  }));
  const perRow = entries.filter(({ field }) => field.shape[0] === batch.size);
  const rank2 = perRow.filter(({ field }) => field.shape.length === 2);
  const inputs =
    INPUT_ID_NAMES.map((name) => rank2.find((entry) => entry.name === name)).find(Boolean) ??
    rank2.find(
      ({ name, field }) =>
        field.dtype === 'int32' && !/label|mask|position|segment|type|weight/i.test(name),
    );
  if (inputs === undefined) {
    throw new InvalidArgumentError({
      functionName: 'explainBatch',
      argumentName: 'batch.fields',
      expected: 'an int32 [batch, sequence] field of input ids (e.g. inputIds)',
      received: Object.keys(batch.fields),
      fix: 'give the objective an explainBatch hook, or name the input ids field inputIds.',
    });
  }
  const length = inputs.field.shape[1]!;
  const perPosition = rank2.filter(({ field }) => field.shape[1] === length);
  const used = new Set<string>([inputs.name]);
  const take = (pattern: RegExp, dtype?: BatchField['dtype']) => {
    const found = perPosition.find(
      ({ name, field }) =>
        !used.has(name) && pattern.test(name) && (!dtype || field.dtype === dtype),
    );
    if (found) used.add(found.name);
    return found;
  };
  const labels = take(/labels?$/i, 'int32');
  const weights = take(/weights?$/i);
  const segment = take(/segment|token_?type/i);
  const attention = take(/attention|padding/i);
  const positionFields = perRow.filter(
    ({ name, field }) =>
      !used.has(name) &&
      /position/i.test(name) &&
      ((field.shape.length === 2 && field.shape[1] === length) ||
        (field.shape.length === 3 && field.shape[2] === length)),
  );
  for (const { name } of positionFields) used.add(name);
  // Gathered labels: `<prefix>Positions` [B, P] with `<prefix>Ids` or `<prefix>Labels` [B, P].
  const gathered = rank2.flatMap(({ name, field }) => {
    const match = /^(.*)positions$/i.exec(name);
    if (!match || field.shape[1] === length || field.dtype !== 'int32') return [];
    const prefix = match[1]!;
    const sibling = (suffix: string) =>
      rank2.find(
        (entry) =>
          entry.name.toLowerCase() === `${prefix}${suffix}`.toLowerCase() &&
          entry.field.shape[1] === field.shape[1],
      );
    const ids = sibling('Ids') ?? sibling('Labels');
    if (!ids) return [];
    const gatheredWeights = sibling('Weights');
    for (const entry of [{ name }, ids, gatheredWeights]) if (entry) used.add(entry.name);
    return [{ positions: field, ids: ids.field, weights: gatheredWeights?.field }];
  });
  const attentionMatrix = perRow.find(
    ({ name, field }) =>
      !used.has(name) &&
      field.shape.length === 3 &&
      field.shape[1] === length &&
      field.shape[2] === length &&
      /attention|mask|bias/i.test(name),
  );
  if (attentionMatrix) used.add(attentionMatrix.name);
  const others = perPosition.filter(({ name }) => !used.has(name));
  const rowFacts = perRow.filter(({ field }) => field.shape.length === 1);

  const rows = Array.from({ length: batch.size }, (_, row) => {
    const ids = rowValues(inputs.field, row);
    const labelValues = labels ? rowValues(labels.field, row) : undefined;
    const weightValues = weights ? rowValues(weights.field, row) : undefined;
    const gatheredLabels = new Map<number, { label: number; weight: number }>();
    for (const group of gathered) {
      const positions = rowValues(group.positions, row);
      const targets = rowValues(group.ids, row);
      const slotWeights = group.weights ? rowValues(group.weights, row) : undefined;
      for (let slot = 0; slot < positions.length; slot++) {
        const weight = slotWeights ? slotWeights[slot]! : 1;
        if (weight !== 0 && targets[slot] !== IGNORE_INDEX) {
          gatheredLabels.set(positions[slot]!, { label: targets[slot]!, weight });
        }
      }
    }
    const matrix = attentionMatrix ? rowValues(attentionMatrix.field, row) : undefined;
    const matrixIsBias =
      attentionMatrix?.field.dtype === 'float32' && /bias/i.test(attentionMatrix.name);
    const tokens = Array.from({ length }, (_, index) => {
      const raw = labelValues ? labelValues[index]! : undefined;
      const fromGathered = gatheredLabels.get(index);
      const label = fromGathered?.label ?? (raw === undefined || raw === IGNORE_INDEX ? null : raw);
      const weight =
        fromGathered?.weight ?? (label === null ? 0 : weightValues ? weightValues[index]! : 1);
      const token: TokenExplanation & { fields?: Record<string, number> } = {
        inputId: ids[index]!,
        label,
        weight,
        ...(positionFields.length > 0
          ? {
              positions: positionFields.flatMap(({ field }) => {
                const values = rowValues(field, row);
                // [B, L], or [B, K, L] for K position ids per token (GLM's two).
                const kinds = field.shape.length === 2 ? 1 : field.shape[1]!;
                return Array.from({ length: kinds }, (_, kind) => values[kind * length + index]!);
              }),
            }
          : {}),
        ...(segment ? { segment: rowValues(segment.field, row)[index]! } : {}),
        ...(attention
          ? { attention: rowValues(attention.field, row)[index] ? 'attends' : 'none (padding)' }
          : {}),
        ...(matrix
          ? {
              attention: summarizeAttention(
                Array.from({ length }, (_, key) => {
                  const value = matrix[index * length + key]!;
                  return matrixIsBias ? value > -1e4 : value !== 0;
                }),
                index,
              ),
            }
          : {}),
        ...(others.length > 0
          ? {
              fields: Object.fromEntries(
                others.map(({ name, field }) => [name, rowValues(field, row)[index]!]),
              ),
            }
          : {}),
      };
      return token;
    });
    const facts = Object.fromEntries(rowFacts.map(({ name, field }) => [name, field.data[row]!]));
    return { tokens, facts };
  });
  return { rows };
}
