import { checkOptionKeys } from '@lm-objectives/core';
import type { BatchExplanation, ExplainedToken } from './batch-explanation';

/** Options of {@link formatBatchExplanation}. */
export interface FormatBatchExplanationOptions {
  /** Turns a label id into text, shown beside the label (e.g. the same decoder as `explainBatch`'s). */
  decode?: (id: number) => string;
  /** Show only the scored positions (label not ignored). Default `false`: every position. */
  scoredOnly?: boolean;
}

/** Makes whitespace and control characters visible, so columns stay aligned. */
function visible(text: string): string {
  return text
    .replace(/ /g, '␣')
    .replace(/\n/g, '⏎')
    .replace(/\t/g, '⇥')
    .replace(/\p{Cc}/gu, '�');
}

interface Column {
  readonly title: string;
  readonly cell: (token: ExplainedToken) => string;
  readonly present: (token: ExplainedToken) => boolean;
  readonly alignRight?: boolean;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * Renders a {@link BatchExplanation} as aligned text, one table per row, for a terminal (a CLI's
 * `--explain`). Columns that no position of the row fills are left out; ignored labels show `·`.
 *
 * @example
 * console.log(formatBatchExplanation(explainBatch(objective, batch, { decode }), { decode }));
 */
export function formatBatchExplanation(
  explanation: BatchExplanation,
  options: FormatBatchExplanationOptions = {},
): string {
  checkOptionKeys('formatBatchExplanation', options, ['decode', 'scoredOnly']);
  const decode = options.decode;
  const fieldNames = [
    ...new Set(
      explanation.rows.flatMap((row) =>
        row.tokens.flatMap((token) => Object.keys(token.fields ?? {})),
      ),
    ),
  ];
  const columns: Column[] = [
    { title: '#', cell: (token) => String(token.index), present: () => true, alignRight: true },
    {
      title: 'token',
      cell: (token) => visible(token.token ?? ''),
      present: (token) => token.token !== undefined,
    },
    { title: 'id', cell: (token) => String(token.inputId), present: () => true, alignRight: true },
    {
      title: 'label',
      cell: (token) =>
        token.label === null
          ? '·'
          : decode
            ? `${token.label} ${visible(decode(token.label))}`
            : String(token.label),
      present: () => true,
    },
    {
      title: 'weight',
      cell: (token) => formatNumber(token.weight),
      present: () => true,
      alignRight: true,
    },
    {
      title: 'part',
      cell: (token) => token.part ?? '',
      present: (token) => token.part !== undefined,
    },
    {
      title: 'action',
      cell: (token) => token.action ?? '',
      present: (token) => token.action !== undefined,
    },
    {
      title: 'original',
      cell: (token) =>
        token.originalId === undefined
          ? ''
          : decode
            ? `${token.originalId} ${visible(decode(token.originalId))}`
            : String(token.originalId),
      present: (token) => token.originalId !== undefined,
    },
    {
      title: 'positions',
      cell: (token) => token.positions?.join(',') ?? '',
      present: (token) => token.positions !== undefined,
    },
    {
      title: 'segment',
      cell: (token) => (token.segment === undefined ? '' : String(token.segment)),
      present: (token) => token.segment !== undefined,
      alignRight: true,
    },
    {
      title: 'attention',
      cell: (token) => token.attention ?? '',
      present: (token) => token.attention !== undefined,
    },
    ...fieldNames.map(
      (name): Column => ({
        title: name,
        cell: (token) => {
          const value = token.fields?.[name];
          return value === undefined ? '' : formatNumber(value);
        },
        present: (token) => token.fields?.[name] !== undefined,
        alignRight: true,
      }),
    ),
  ];
  const blocks = explanation.rows.map((row) => {
    const tokens = options.scoredOnly
      ? row.tokens.filter((token) => token.label !== null)
      : row.tokens;
    const shown = columns.filter((column) => tokens.some(column.present));
    const cells = tokens.map((token) => shown.map((column) => column.cell(token)));
    const widths = shown.map((column, index) =>
      Math.max([...column.title].length, ...cells.map((line) => [...line[index]!].length)),
    );
    const pad = (text: string, width: number, right?: boolean) => {
      const fill = ' '.repeat(width - [...text].length);
      return right ? fill + text : text + fill;
    };
    const line = (values: string[]) =>
      values
        .map((value, index) => pad(value, widths[index]!, shown[index]!.alignRight))
        .join('  ')
        .trimEnd();
    const facts = Object.entries(row.facts)
      .map(([name, value]) => `${name} ${value}`)
      .join(' · ');
    const scored = row.tokens.filter((token) => token.label !== null).length;
    const header = `row ${row.row} · ${scored} of ${row.tokens.length} positions scored${facts ? ` · ${facts}` : ''}`;
    return [header, line(shown.map((column) => column.title)), ...cells.map(line)].join('\n');
  });
  return [
    `${explanation.objectiveId} (${explanation.source === 'objective' ? "the objective's explanation" : 'inferred from the batch fields'})`,
    ...blocks,
  ].join('\n\n');
}
