// The home page's picture: one objective's two sides on a real sentence pair. The data side is
// @lm-objectives/bert's createBatch with a fixed seed; the tensor side its computeLoss on the
// outputs of a model that knows nothing yet (seeded random outputs), on the cpu backend.
import { createBertObjective } from '@lm-objectives/bert';
import { createRng } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs';
import { COLORS, group, monoWidth, rect, svgDocument, text } from './svg.mjs';
import { buildVocabulary, wordTokens, wrapBoxes } from './token-rows.mjs';

/** A sentence of the demo corpus (State of the Union, 1991), split into sentences A and B. */
export const CONTRACT_PAIR = Object.freeze(['We are the Nation', 'that can shape the future.']);
const SPECIAL_TOKENS = ['[PAD]', '[CLS]', '[SEP]', '[MASK]'];
const HIDDEN_SIZE = 8;
const SEED = 3;

/** The batch and the loss, computed by the real objective (needs a tfjs backend). */
export function runContract() {
  const vocabulary = buildVocabulary(SPECIAL_TOKENS, CONTRACT_PAIR);
  const [a, b] = CONTRACT_PAIR.map(wordTokens);
  const tokens = ['[CLS]', ...a, '[SEP]', ...b, '[SEP]'];
  const inputIds = Int32Array.from(tokens, vocabulary.idOf);
  const tokenTypeIds = Int32Array.from(tokens, (_, t) => (t > a.length + 1 ? 1 : 0));
  const objective = createBertObjective({
    vocabularySize: vocabulary.tokens.length,
    hiddenSize: HIDDEN_SIZE,
    clsTokenId: 1,
    sepTokenId: 2,
    padTokenId: 0,
    maskTokenId: 3,
  });
  try {
    const batch = objective.createBatch([{ inputIds, tokenTypeIds, nextSentenceLabel: 0 }], {
      random: createRng(SEED),
    });
    const losses = tf.tidy(() => {
      const hiddenStates = tf.randomNormal([1, tokens.length, HIDDEN_SIZE], 0, 1, 'float32', 1);
      const embeddingTable = tf.randomNormal(
        [vocabulary.tokens.length, HIDDEN_SIZE],
        0,
        0.02,
        'float32',
        2,
      );
      const { loss, parts } = objective.computeLoss({
        outputs: { hiddenStates, embeddingTable },
        batch,
      });
      return [loss, parts.maskedLm.loss, parts.nextSentence.loss].map(
        (tensor) => tensor.dataSync()[0],
      );
    });
    const show = (ids) => Array.from(ids, (id) => vocabulary.tokens[id] ?? '·');
    return {
      input: show(batch.fields.inputIds.data),
      labels: show(batch.fields.labels.data),
      loss: losses[0],
      maskedLm: losses[1],
      nextSentence: losses[2],
      vocabularySize: vocabulary.tokens.length,
      length: tokens.length,
    };
  } finally {
    objective.dispose();
  }
}

function tokenRow(tokens, labelTokens, fontSize, maxWidth) {
  const widths = tokens.map(
    (token, t) => Math.max(monoWidth(token, fontSize), monoWidth(labelTokens[t], fontSize)) + 8,
  );
  const layout = wrapBoxes(widths, maxWidth, 3);
  const lineHeight = 2 * (fontSize + 8) + 8;
  const parts = tokens.map((token, t) => {
    const { x, line } = layout.positions[t];
    const y = line * lineHeight;
    const scored = labelTokens[t] !== '·';
    return [
      rect(x, y, widths[t], fontSize + 8, {
        rx: 3,
        fill: scored ? COLORS.masked : '#f6f8fa',
        stroke: scored ? COLORS.masked : COLORS.frame,
      }),
      text(x + widths[t] / 2, y + fontSize + 2, token, {
        mono: true,
        size: fontSize,
        anchor: 'middle',
        color: scored ? '#ffffff' : COLORS.text,
      }),
      text(x + widths[t] / 2, y + 2 * fontSize + 14, labelTokens[t], {
        mono: true,
        size: fontSize,
        anchor: 'middle',
        color: scored ? COLORS.masked : COLORS.muted,
        weight: scored ? 600 : undefined,
      }),
    ].join('');
  });
  return { svg: parts.join(''), height: layout.lines * lineHeight };
}

/** The picture at a given width: four steps from the examples to the loss, top to bottom. */
export function renderObjectiveContract(run, { width }) {
  const narrow = width < 500;
  const fontSize = narrow ? 11 : 12;
  const margin = 16;
  const inner = width - 2 * margin - 24;
  const body = [];
  let y = margin;
  const step = (title, subtitle, color, draw) => {
    const start = y;
    const content = [];
    content.push(text(12, 20, title, { size: 13, weight: 600, mono: true }));
    content.push(text(12, 37, subtitle, { size: 11, color: COLORS.muted }));
    const height = draw(content, 48);
    body.push(
      rect(margin, start, width - 2 * margin, height + 10, {
        rx: 6,
        fill: COLORS.background,
        stroke: color,
        'stroke-width': 1.5,
      }),
    );
    body.push(group(margin, start, content));
    y = start + height + 10;
  };
  const arrow = (label) => {
    body.push(
      text(width / 2, y + 17, `↓ ${label}`, {
        size: 12,
        anchor: 'middle',
        color: COLORS.muted,
        mono: true,
      }),
    );
    y += 26;
  };
  step('examples', 'token ids of a sentence pair (A, then B)', COLORS.frame, (content, top) => {
    content.push(text(12, top + 12, `A: ${CONTRACT_PAIR[0]}`, { size: 12 }));
    content.push(text(12, top + 30, `B: ${CONTRACT_PAIR[1]}`, { size: 12 }));
    return top + 36;
  });
  arrow(
    narrow
      ? 'createBatch(examples, { random })'
      : 'objective.createBatch(examples, { random: createRng(3) })',
  );
  step(
    'batch',
    narrow
      ? 'data side: typed arrays, seeded'
      : 'data side: typed arrays, no tensors, every random choice from the seed',
    COLORS.partAStroke,
    (content, top) => {
      content.push(
        text(12, top + 10, 'inputIds, and below each token its label', {
          size: 11,
          color: COLORS.muted,
        }),
      );
      const row = tokenRow(run.input, run.labels, fontSize, inner);
      content.push(group(12, top + 18, [row.svg]));
      return top + 18 + row.height;
    },
  );
  arrow(narrow ? 'your model' : 'your model (here: untrained, random outputs)');
  step('outputs', 'what the model returns', COLORS.frame, (content, top) => {
    content.push(
      text(12, top + 12, `hiddenStates [1, ${run.length}, ${HIDDEN_SIZE}]`, {
        size: 12,
        mono: true,
      }),
    );
    content.push(
      text(12, top + 30, `embeddingTable [${run.vocabularySize}, ${HIDDEN_SIZE}]`, {
        size: 12,
        mono: true,
      }),
    );
    return top + 36;
  });
  arrow(narrow ? 'computeLoss({ outputs, batch })' : 'objective.computeLoss({ outputs, batch })');
  step(
    '{ loss, parts, metrics }',
    narrow ? 'tensor side: differentiable' : 'tensor side: differentiable, leak-free',
    COLORS.partBStroke,
    (content, top) => {
      content.push(
        text(12, top + 14, `loss ${run.loss.toFixed(3)}`, { size: 15, weight: 600, mono: true }),
      );
      content.push(
        text(
          12,
          top + 34,
          `= maskedLm ${run.maskedLm.toFixed(3)} + nextSentence ${run.nextSentence.toFixed(3)}`,
          { size: narrow ? 11 : 12, mono: true },
        ),
      );
      content.push(
        text(
          12,
          top + 52,
          `guessing: ln ${run.vocabularySize} = ${Math.log(run.vocabularySize).toFixed(3)}, ln 2 = 0.693`,
          { size: 11, color: COLORS.muted },
        ),
      );
      return top + 58;
    },
  );
  return svgDocument({
    width,
    height: y + margin,
    title: 'How an objective is used',
    description: `A sentence pair goes through BERT's createBatch (data side): ${run.labels.filter((label) => label !== '·').length} tokens are selected and masked, with their original tokens as labels. A model's outputs and the batch go through computeLoss (tensor side), which returns the loss ${run.loss.toFixed(3)}, the sum of its parts maskedLm and nextSentence.`,
    body,
  });
}

/** The picture's files: wide and narrow. */
export function objectiveContractFigures() {
  const run = runContract();
  return [
    { file: 'objective-contract.svg', svg: renderObjectiveContract(run, { width: 640 }) },
    { file: 'objective-contract-narrow.svg', svg: renderObjectiveContract(run, { width: 360 }) },
  ];
}
