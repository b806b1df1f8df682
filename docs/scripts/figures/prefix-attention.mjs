// Prefix tuning's keys and values: the per-layer prefixes @lm-objectives/prefix produces for a
// small decoder (their shapes are read from the real tensors), and the attention bias a prefixed
// layer uses: P always-visible prefix columns, then core's causal bias over the real tokens.
import { causalAttentionBias } from '@lm-objectives/core';
import { createPrefixEncoder, prefixKeyValuesFromProjection } from '@lm-objectives/prefix';
import * as tf from '@tensorflow/tfjs';
import { COLORS, heading, rect, svgDocument, text } from './svg.mjs';

/** The model sizes, the number of virtual tokens and the real sequence of the figure. */
export const PREFIX_FIGURE_SETTINGS = Object.freeze({
  sizes: { numLayers: 2, numHeads: 2, headSize: 16 },
  numVirtualTokens: 4,
  tokens: ['the', 'nation', 'will', 'not', 'accept', 'less'],
});

/** Shapes of the real prefixes and the real bias matrix (needs a tfjs backend). */
export function prefixFigureData() {
  const { sizes, numVirtualTokens, tokens } = PREFIX_FIGURE_SETTINGS;
  const encoder = createPrefixEncoder(sizes, { numVirtualTokens, seed: 1 });
  try {
    return tf.tidy(() => {
      const layers = prefixKeyValuesFromProjection(encoder.projectedPrefix(), sizes);
      const causal = causalAttentionBias(tokens.length).reshape([tokens.length, tokens.length]);
      // What a prefixed layer adds to its scores: P zero (visible) columns before the model's own bias.
      const bias = tf.concat([tf.zeros([tokens.length, numVirtualTokens]), causal], 1);
      return {
        keyShape: layers[0].key.shape,
        valueShape: layers[0].value.shape,
        layerCount: layers.length,
        bias: Array.from(bias.dataSync()),
        parameters: encoder.parameterCount(),
      };
    });
  } finally {
    for (const variable of encoder.variables) variable.dispose();
  }
}

const shape = (dimensions) => `[${dimensions.join(', ')}]`;

/** The figure: the bias matrix with the prefix columns, and the shapes of one layer's prefixes. */
export function renderPrefixAttention(data) {
  const { numVirtualTokens, tokens } = PREFIX_FIGURE_SETTINGS;
  const length = tokens.length;
  const keyLabels = [...Array.from({ length: numVirtualTokens }, (_, p) => `p${p + 1}`), ...tokens];
  const cell = 24;
  const margin = 16;
  const left = margin + 64;
  const top = 138;
  const body = heading(
    'Prefix tuning: every layer attends over P prefix keys and values',
    `P = ${numVirtualTokens} virtual tokens, ${length} real tokens; row = query, column = key`,
  );
  body.push(text(left, top - 62, 'prefix', { size: 12, color: COLORS.trainable, weight: 600 }));
  body.push(
    text(left + numVirtualTokens * cell + 4, top - 62, 'real tokens', {
      size: 12,
      color: COLORS.masked,
      weight: 600,
    }),
  );
  keyLabels.forEach((label, key) => {
    const x = left + key * cell + cell / 2 + 4;
    body.push(
      text(x, top - 6, label, {
        mono: true,
        size: 11,
        color: key < numVirtualTokens ? COLORS.trainable : COLORS.text,
        transform: `rotate(-90 ${x} ${top - 6})`,
      }),
    );
  });
  tokens.forEach((token, query) => {
    body.push(
      text(left - 6, top + query * cell + cell - 8, token, { mono: true, size: 11, anchor: 'end' }),
    );
    keyLabels.forEach((_, key) => {
      const visible = data.bias[query * keyLabels.length + key] === 0;
      const fill = !visible
        ? COLORS.forbidden
        : key < numVirtualTokens
          ? COLORS.trainable
          : COLORS.masked;
      body.push(
        rect(left + key * cell + 1, top + query * cell + 1, cell - 2, cell - 2, { rx: 2, fill }),
      );
    });
  });
  const matrixBottom = top + length * cell;
  const matrixRight = left + keyLabels.length * cell;
  const notesX = matrixRight + 24;
  const notes = [
    ['Per layer (one of ' + data.layerCount + '):', COLORS.text, 600],
    [`prefix keys ${shape(data.keyShape)}`, COLORS.trainable],
    [`prefix values ${shape(data.valueShape)}`, COLORS.trainable],
    ['[batch, heads, P, head size]', COLORS.muted],
    ['', COLORS.muted],
    [`keys: P + L = ${numVirtualTokens + length}`, COLORS.text],
    [`queries: L = ${length} (unchanged)`, COLORS.text],
    ['positions, labels: unchanged', COLORS.text],
    ['', COLORS.muted],
    [`${data.parameters.toLocaleString('en-US')} trainable values;`, COLORS.text],
    ['the model stays frozen', COLORS.text],
  ];
  notes.forEach(([content, color, weight], index) => {
    body.push(
      text(notesX, top + 10 + index * 18, content, {
        size: 12,
        color,
        weight,
        mono: index > 0 && index < 4,
      }),
    );
  });
  return svgDocument({
    width: notesX + 230,
    height: Math.max(matrixBottom, top + notes.length * 18) + margin + 8,
    title: 'Prefix tuning: prefix keys and values',
    description: `An attention grid of ${length} queries by ${numVirtualTokens + length} keys: the first ${numVirtualTokens} columns, the trainable prefix, are visible to every query; the real-token columns keep the model's causal mask. Each of the ${data.layerCount} layers gets prefix keys and values of shape ${shape(data.keyShape)}.`,
    body,
  });
}

/** The figure's file. */
export function prefixFigures() {
  return [{ file: 'prefix-attention.svg', svg: renderPrefixAttention(prefixFigureData()) }];
}
