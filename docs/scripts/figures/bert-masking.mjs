// BERT's 80/10/10 masking, drawn from the real masker of @lm-objectives/bert run on sentences of
// the demo corpus with a fixed seed, plus the shares the same masker produces over a large batch.
import { createMaskedLmMasker, MASK_ACTION } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';
import {
  COLORS,
  group,
  heading,
  legendItem,
  monoWidth,
  rect,
  svgDocument,
  text,
  textLines,
} from './svg.mjs';
import { buildVocabulary, wordTokens, wrapBoxes } from './token-rows.mjs';

/** Sentences of the demo corpus (State of the Union addresses, public domain), with their year. */
export const BERT_FIGURE_SENTENCES = Object.freeze([
  ['1996', 'One of these areas is the problem of illegal immigration.'],
  ['1991', 'We are the Nation that can shape the future.'],
  ['1992', 'Fourth, we must do something about crime and drugs.'],
  ['1997', 'The spirit we bring to our work will make all the difference.'],
  ['1998', 'Good teachers and small classes.'],
]);

const SPECIAL_TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]'];
const [PAD, CLS, SEP, MASK] = [0, 1, 2, 3];
const ACTION_NAMES = new Map([
  [MASK_ACTION.masked, 'masked'],
  [MASK_ACTION.random, 'random'],
  [MASK_ACTION.kept, 'kept'],
]);
const ACTION_COLORS = { masked: COLORS.masked, random: COLORS.random, kept: COLORS.kept };

function createFigureMasker(vocabularySize) {
  return createMaskedLmMasker({
    vocabularySize,
    maskTokenId: MASK,
    padTokenId: PAD,
    specialTokenIds: [CLS, SEP],
  });
}

/** `[CLS] sentence [SEP]` rows, right-padded with `[PAD]` into one `[B, L]` batch. */
function sentenceBatch(vocabulary) {
  const rows = BERT_FIGURE_SENTENCES.map(([, sentence]) => [
    CLS,
    ...wordTokens(sentence).map(vocabulary.idOf),
    SEP,
  ]);
  const length = Math.max(...rows.map((row) => row.length));
  const inputIds = new Int32Array(rows.length * length).fill(PAD);
  for (const [index, row] of rows.entries()) inputIds.set(row, index * length);
  return { inputIds, shape: [rows.length, length], lengths: rows.map((row) => row.length) };
}

/**
 * The sentences masked by the real masker: the first seed from 1 up whose draw shows all three
 * replacements, the random one visibly different from its original (the figure is there to show
 * them), and per token what the model reads and predicts.
 */
export function maskFigureSentences() {
  const vocabulary = buildVocabulary(
    SPECIAL_TOKENS,
    BERT_FIGURE_SENTENCES.map(([, s]) => s),
  );
  const masker = createFigureMasker(vocabulary.tokens.length);
  const batch = sentenceBatch(vocabulary);
  for (let seed = 1; seed <= 1000; seed++) {
    const result = masker.mask({ inputIds: batch.inputIds, shape: batch.shape }, createRng(seed));
    const length = batch.shape[1];
    const rows = batch.lengths.map((rowLength, row) =>
      Array.from({ length: rowLength }, (_, t) => {
        const index = row * length + t;
        return {
          shown: vocabulary.tokens[result.inputIds[index]],
          original: vocabulary.tokens[batch.inputIds[index]],
          action: ACTION_NAMES.get(result.actions[index]) ?? 'none',
        };
      }),
    );
    const tokens = rows.flat();
    const shows = (action) => tokens.some((token) => token.action === action);
    // A random replacement can draw the original token again; the figure needs one that did not.
    const visiblyRandom = tokens.some(
      (token) => token.action === 'random' && token.shown !== token.original,
    );
    if (shows('masked') && shows('kept') && visiblyRandom)
      return { seed, rows, vocabularySize: vocabulary.tokens.length };
  }
  throw new Error('bert-masking: no seed in 1…1000 shows all three replacements');
}

/**
 * The shares the masker produces over `rows` rows of 128 tokens: selected tokens among the
 * selectable ones, and the split of the selected ones into masked, random and kept.
 */
export function maskingShares(rows = 2048, seed = 7) {
  const length = 128;
  const vocabularySize = 1000;
  const random = createRng(seed);
  const inputIds = new Int32Array(rows * length);
  for (let row = 0; row < rows; row++) {
    for (let t = 0; t < length; t++) inputIds[row * length + t] = random.int(4, vocabularySize - 1);
    inputIds[row * length] = CLS;
    inputIds[row * length + length - 1] = SEP;
  }
  const result = createFigureMasker(vocabularySize).mask(
    { inputIds, shape: [rows, length] },
    createRng(seed + 1),
  );
  const counts = { masked: 0, random: 0, kept: 0 };
  for (const code of result.actions) {
    const name = ACTION_NAMES.get(code);
    if (name) counts[name] += 1;
  }
  const selected = counts.masked + counts.random + counts.kept;
  return {
    tokens: rows * length,
    selected,
    selectedShare: selected / (rows * (length - 2)),
    masked: counts.masked / selected,
    random: counts.random / selected,
    kept: counts.kept / selected,
  };
}

const percent = (value) => `${(value * 100).toFixed(1)} %`;

function tokenBox(token, fontSize) {
  const padding = 6;
  const labelSize = fontSize - 2;
  const width =
    Math.max(
      monoWidth(token.shown, fontSize),
      token.action === 'none' ? 0 : monoWidth(token.original, labelSize),
    ) +
    2 * padding;
  return { ...token, width, labelSize };
}

function drawToken(box, x, y, fontSize) {
  const height = fontSize + 10;
  const color = ACTION_COLORS[box.action];
  const parts = [];
  if (box.action === 'none') {
    parts.push(rect(x, y, box.width, height, { rx: 4, fill: '#f6f8fa', stroke: COLORS.frame }));
    parts.push(
      text(x + box.width / 2, y + height - 7, box.shown, {
        mono: true,
        size: fontSize,
        anchor: 'middle',
        color: COLORS.muted,
      }),
    );
    return parts.join('');
  }
  const filled = box.action !== 'kept';
  parts.push(
    rect(x, y, box.width, height, {
      rx: 4,
      fill: filled ? color : COLORS.background,
      stroke: color,
      'stroke-width': 2,
    }),
  );
  parts.push(
    text(x + box.width / 2, y + height - 7, box.shown, {
      mono: true,
      size: fontSize,
      anchor: 'middle',
      color: filled ? '#ffffff' : color,
      weight: 600,
    }),
  );
  // What the model must predict at this position: the original token.
  parts.push(
    text(x + box.width / 2, y + height + box.labelSize + 3, box.original, {
      mono: true,
      size: box.labelSize,
      anchor: 'middle',
      color,
    }),
  );
  return parts.join('');
}

/** The figure at a given width (760 for wide screens, 360 for phones). */
export function renderBertMasking({ width }) {
  const narrow = width < 500;
  const fontSize = narrow ? 11 : 12;
  const margin = 16;
  const { seed, rows } = maskFigureSentences();
  const shares = maskingShares();
  const body = heading(
    narrow
      ? `createMaskedLmMasker, seed ${seed}`
      : `BERT's masking of five sentences: createMaskedLmMasker, seed ${seed}`,
  );
  let y = margin + 26;
  const boxHeight = fontSize + 10;
  for (const [index, row] of rows.entries()) {
    const boxes = row.map((token) => tokenBox(token, fontSize));
    const layout = wrapBoxes(
      boxes.map((box) => box.width),
      width - 2 * margin,
      4,
    );
    // A line is taller only when one of its tokens shows a label under it.
    const lineTops = [];
    let top = 0;
    for (let lineIndex = 0; lineIndex < layout.lines; lineIndex++) {
      lineTops.push(top);
      const hasLabel = boxes.some(
        (box, b) => layout.positions[b].line === lineIndex && box.action !== 'none',
      );
      top += boxHeight + (hasLabel ? fontSize + 6 : 0) + 6;
    }
    y += 14;
    body.push(text(margin, y, BERT_FIGURE_SENTENCES[index][0], { size: 10, color: COLORS.muted }));
    y += 5;
    const tokens = boxes.map((box, b) =>
      drawToken(box, layout.positions[b].x, lineTops[layout.positions[b].line], fontSize),
    );
    body.push(group(margin, y, tokens));
    y += top;
  }
  y += 20;
  const legend = [
    ['masked', `[MASK] ${percent(shares.masked)}`],
    ['random', `random token ${percent(shares.random)}`],
    ['kept', `kept ${percent(shares.kept)}`],
  ];
  body.push(
    text(
      margin,
      y,
      `Over ${shares.tokens.toLocaleString('en-US')} tokens: ${percent(shares.selectedShare)} selected; of those:`,
      { size: 12, color: COLORS.muted },
    ),
  );
  y += 20;
  let x = margin;
  for (const [action, label] of legend) {
    if (narrow && x > margin && x + 150 > width) {
      x = margin;
      y += 18;
    }
    const item = legendItem(x, y, ACTION_COLORS[action], label, { outline: action === 'kept' });
    body.push(item.svg);
    x += item.width;
  }
  const note = narrow
    ? ['Under each selected token: its label,', 'the original token to predict.']
    : ['Under each selected token: its label, the original token the model must predict.'];
  const notes = textLines(margin, y + 17, note, { size: 11, color: COLORS.muted, lineHeight: 17 });
  body.push(...notes.svg);
  const height = notes.next - 17 + margin;
  return svgDocument({
    width,
    height,
    title: "BERT's 80/10/10 masking",
    description: `Five sentences after createMaskedLmMasker with seed ${seed}: selected tokens become [MASK], a random token, or stay unchanged, and each keeps its original token as the label. Over ${shares.tokens} tokens the masker selected ${percent(shares.selectedShare)}, of which ${percent(shares.masked)} became [MASK], ${percent(shares.random)} random and ${percent(shares.kept)} kept.`,
    body,
  });
}

/** The figure's files: wide and narrow. */
export function bertMaskingFigures() {
  return [
    { file: 'bert-masking.svg', svg: renderBertMasking({ width: 760 }) },
    { file: 'bert-masking-narrow.svg', svg: renderBertMasking({ width: 360 }) },
  ];
}
