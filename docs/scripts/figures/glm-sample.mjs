// GLM's blank infilling on a real sentence: the sample that @lm-objectives/glm's builder lays out
// (Part A, Part B, the two position rows) and the attention mask glmAttentionMask builds for it.
import { createRng } from '@lm-objectives/core';
import { createGlmSampleBuilder, glmAttentionMask } from '@lm-objectives/glm';
import { COLORS, group, heading, monoWidth, rect, svgDocument, text, textLines } from './svg.mjs';
import { buildVocabulary, wordTokens, wrapBoxes } from './token-rows.mjs';

/** A sentence of the demo corpus (State of the Union, 1991; public domain). */
export const GLM_FIGURE_SENTENCE = 'We are the Nation that can shape the future.';
/** Blanks at least 30 % of the tokens, so that one short sentence shows two spans. */
export const GLM_FIGURE_BLANK_RATIO = 0.3;

const SPECIAL_TOKENS = ['[PAD]', '[CLS]', '[M]', '[S]', '[E]'];
const [, CLS, MASK, SOP, EOP] = [0, 1, 2, 3, 4];
/** One colour per blanked span, in text order. */
const SPAN_COLORS = ['#2f6fde', '#14925f', '#8a4fd3', '#c2410c'];

/**
 * The sample: the first seed from 1 up whose draw blanks two or more spans and puts them in Part B
 * in an order other than the text's (the two things the figure is there to show).
 */
export function buildFigureSample() {
  const vocabulary = buildVocabulary(SPECIAL_TOKENS, [GLM_FIGURE_SENTENCE]);
  const builder = createGlmSampleBuilder({
    clsTokenId: CLS,
    maskTokenId: MASK,
    sopTokenId: SOP,
    eopTokenId: EOP,
    spanBlankRatio: GLM_FIGURE_BLANK_RATIO,
  });
  const textIds = Int32Array.from(wordTokens(GLM_FIGURE_SENTENCE), vocabulary.idOf);
  for (let seed = 1; seed <= 1000; seed++) {
    const sample = builder.build(textIds, createRng(seed));
    const permuted = sample.order.some((spanIndex, position) => spanIndex !== position);
    if (sample.spans.length >= 2 && permuted) return { seed, sample, tokens: vocabulary.tokens };
  }
  throw new Error('glm-sample: no seed in 1…1000 blanks two spans out of text order');
}

/** Per position: the span (index in text order) it belongs to, or -1. */
function spanOfPosition(sample) {
  const spanOf = new Array(sample.targets.length).fill(-1);
  // Part A: the mask token standing for span i sits at the i-th mask of Part A.
  let maskIndex = 0;
  for (let t = 0; t < sample.sep; t++) {
    if (sample.inputIds[t] === MASK) spanOf[t] = maskIndex++;
  }
  // Part B: segments in `order`, each `[sop] + span`.
  let t = sample.sep;
  for (const spanIndex of sample.order) {
    const { start, end } = sample.spans[spanIndex];
    for (let k = 0; k <= end - start; k++) spanOf[t++] = spanIndex;
  }
  return spanOf;
}

const ROWS = [
  ['input', (sample, tokens, t) => tokens[sample.inputIds[t]]],
  ['target', (sample, tokens, t) => (sample.lossMask[t] ? tokens[sample.targets[t]] : '·')],
  ['position', (sample, _tokens, t) => String(sample.positionIds[t])],
  ['block', (sample, _tokens, t) => String(sample.blockPositionIds[t])],
];

/** The Part A / Part B figure at a given width. */
export function renderGlmSample({ width }) {
  const narrow = width < 500;
  const fontSize = narrow ? 11 : 12;
  const margin = 16;
  const labelWidth = monoWidth('position', fontSize) + 10;
  const { seed, sample, tokens } = buildFigureSample();
  const spanOf = spanOfPosition(sample);
  const length = sample.targets.length;
  const columnWidths = Array.from(
    { length },
    (_, t) =>
      Math.max(...ROWS.map(([, cell]) => monoWidth(cell(sample, tokens, t), fontSize))) + 10,
  );
  const layout = wrapBoxes(columnWidths, width - 2 * margin - labelWidth, 2);
  const rowHeight = fontSize + 11;
  const bandHeight = 18 + ROWS.length * rowHeight + 14;
  const body = heading(
    narrow
      ? `createGlmSampleBuilder, seed ${seed}`
      : `GLM's blank infilling of one sentence: createGlmSampleBuilder, seed ${seed}`,
  );
  let y = margin + 34;
  const original = ['[CLS]', ...wordTokens(GLM_FIGURE_SENTENCE)];
  body.push(text(margin, y, 'text', { mono: true, size: fontSize, color: COLORS.muted }));
  let x = margin + labelWidth;
  original.forEach((token, t) => {
    const span = sample.spans.findIndex(({ start, end }) => t >= start && t < end);
    const w = monoWidth(token, fontSize) + 8;
    if (x + w > width - margin) {
      x = margin + labelWidth;
      y += rowHeight;
    }
    if (span >= 0)
      body.push(
        rect(x, y - fontSize - 2, w, fontSize + 8, {
          rx: 3,
          fill: 'none',
          stroke: SPAN_COLORS[span],
          'stroke-width': 2,
        }),
      );
    body.push(
      text(x + w / 2, y + 1, token, {
        mono: true,
        size: fontSize,
        anchor: 'middle',
        color: span >= 0 ? SPAN_COLORS[span] : COLORS.text,
        weight: span >= 0 ? 600 : undefined,
      }),
    );
    x += w + 2;
  });
  y += 18;
  for (let band = 0; band < layout.lines; band++) {
    const columns = [...Array(length).keys()].filter((t) => layout.positions[t].line === band);
    const cells = [];
    for (const t of columns) {
      const cx = layout.positions[t].x;
      const partB = t >= sample.sep;
      cells.push(
        rect(cx, 0, columnWidths[t], 16 + ROWS.length * rowHeight, {
          fill: partB ? COLORS.partB : COLORS.partA,
          stroke: partB ? COLORS.partBStroke : COLORS.partAStroke,
          'stroke-width': 0.5,
        }),
      );
      cells.push(
        text(cx + columnWidths[t] / 2, 12, String(t), {
          mono: true,
          size: 10,
          anchor: 'middle',
          color: COLORS.muted,
        }),
      );
      ROWS.forEach(([, cell], r) => {
        const value = cell(sample, tokens, t);
        const span = spanOf[t];
        const colored = span >= 0 && r < 2 && value !== '·';
        cells.push(
          text(cx + columnWidths[t] / 2, 16 + r * rowHeight + rowHeight - 7, value, {
            mono: true,
            size: fontSize,
            anchor: 'middle',
            color: colored ? SPAN_COLORS[span] : COLORS.text,
            weight: colored ? 600 : undefined,
          }),
        );
      });
    }
    const labels = ROWS.map(([name], r) =>
      text(0, 16 + r * rowHeight + rowHeight - 7, name, {
        mono: true,
        size: fontSize,
        color: COLORS.muted,
      }),
    );
    body.push(group(margin, y, labels));
    body.push(group(margin + labelWidth, y, cells));
    y += bandHeight;
  }
  const legendY = y + 2;
  body.push(rect(margin, legendY - 10, 12, 12, { fill: COLORS.partA, stroke: COLORS.partAStroke }));
  body.push(text(margin + 18, legendY, `Part A (sep = ${sample.sep})`, { size: 12 }));
  const partBx = margin + (narrow ? 0 : 170);
  const partBy = narrow ? legendY + 18 : legendY;
  body.push(rect(partBx, partBy - 10, 12, 12, { fill: COLORS.partB, stroke: COLORS.partBStroke }));
  body.push(text(partBx + 18, partBy, 'Part B: scored, spans in a random order', { size: 12 }));
  const note = narrow
    ? ['[M] mask, [S] start, [E] end of a span;', '· = not scored; block = position in span']
    : [
        '[M] = [MASK], [S] = [sop], [E] = [eop]; · = not scored; "block" is the position within a span',
      ];
  const notes = textLines(margin, partBy + 20, note, { size: 11, color: COLORS.muted });
  body.push(...notes.svg);
  return svgDocument({
    width,
    height: notes.next + margin - 10,
    title: "GLM's Part A and Part B",
    description: `The sentence "${GLM_FIGURE_SENTENCE}" after createGlmSampleBuilder with seed ${seed}: ${sample.spans.length} spans are blanked; Part A is the text with one [MASK] per span, Part B holds each span after [sop], in a shuffled order, with targets shifted to end in [eop]; positions repeat the mask's position in Part B, block positions count within each span.`,
    body,
  });
}

/** The attention matrix of the same sample: query i may attend to key j iff j < sep or j ≤ i. */
export function renderGlmAttention() {
  const { seed, sample, tokens } = buildFigureSample();
  const length = sample.targets.length;
  const { data } = glmAttentionMask([sample.sep], length);
  const cell = 18;
  const margin = 16;
  const fontSize = 11;
  const labels = Array.from(sample.inputIds, (id) => tokens[id]);
  const labelWidth = Math.max(...labels.map((label) => monoWidth(label, fontSize))) + 28;
  const top = margin + 40 + labelWidth;
  const left = margin + labelWidth;
  const size = length * cell;
  const body = heading(
    `glmAttentionMask of the sample above (seed ${seed})`,
    'row = query, column = key; filled = may attend',
  );
  for (let query = 0; query < length; query++) {
    for (let key = 0; key < length; key++) {
      const allowed = data[query * length + key] === 1;
      body.push(
        rect(left + key * cell + 1, top + query * cell + 1, cell - 2, cell - 2, {
          rx: 2,
          fill: allowed ? COLORS.allowed : COLORS.forbidden,
        }),
      );
    }
  }
  labels.forEach((label, t) => {
    const partB = t >= sample.sep;
    const color = partB ? '#9a6700' : COLORS.text;
    body.push(
      text(left - 6, top + t * cell + cell - 5, `${label} ${t}`, {
        mono: true,
        size: fontSize,
        anchor: 'end',
        color,
      }),
    );
    const x = left + t * cell + cell / 2 + 4;
    body.push(
      text(x, top - 6, `${label} ${t}`, {
        mono: true,
        size: fontSize,
        color,
        transform: `rotate(-90 ${x} ${top - 6})`,
      }),
    );
  });
  // The sep boundary: Part A keys to the left, Part B keys to the right.
  const sepX = left + sample.sep * cell;
  body.push(rect(sepX - 1, top - 4, 2, size + 8, { fill: COLORS.random }));
  body.push(
    text(sepX + 4, top + size + 18, `sep = ${sample.sep}`, { size: 12, color: COLORS.random }),
  );
  const notes = textLines(
    margin,
    top + size + 38,
    ['Part A sees Part A only;', 'Part B sees Part A and itself, causally.'],
    { size: 12, color: COLORS.muted },
  );
  body.push(...notes.svg);
  const width = Math.max(left + size + margin, 440);
  return svgDocument({
    width,
    height: notes.next + margin,
    title: "GLM's attention mask",
    description: `A ${length} by ${length} grid: the first ${sample.sep} columns (Part A) are open to every query; Part A rows see only Part A, and each Part B row also sees the Part B positions up to itself.`,
    body,
  });
}

/** The figures' files. */
export function glmFigures() {
  return [
    { file: 'glm-sample.svg', svg: renderGlmSample({ width: 760 }) },
    { file: 'glm-sample-narrow.svg', svg: renderGlmSample({ width: 360 }) },
    { file: 'glm-attention.svg', svg: renderGlmAttention() },
  ];
}
