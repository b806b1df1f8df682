// The figures are drawn from the real packages' output: these tests check that what a figure
// shows agrees with the packages' rules, computed independently here.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import {
  maskFigureSentences,
  maskingShares,
  renderBertMasking,
} from '../scripts/figures/bert-masking.mjs';
import { renderFusedChunking } from '../scripts/figures/fused-chunking.mjs';
import {
  buildFigureSample,
  renderGlmAttention,
  renderGlmSample,
} from '../scripts/figures/glm-sample.mjs';
import {
  LORA_FIGURE_SETTINGS,
  planFigureAdapters,
  renderLoraUpdate,
} from '../scripts/figures/lora-update.mjs';
import { PREFIX_FIGURE_SETTINGS, prefixFigureData } from '../scripts/figures/prefix-attention.mjs';
import { escapeXml, svgDocument } from '../scripts/figures/svg.mjs';
import { buildVocabulary, wordTokens, wrapBoxes } from '../scripts/figures/token-rows.mjs';

/** Python's `round`: halves go to the even neighbour. */
function roundHalfToEven(value) {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

before(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

test('text is escaped and every figure carries a title and a description', () => {
  assert.equal(escapeXml('a < b & "c"'), 'a &lt; b &amp; &quot;c&quot;');
  const svg = svgDocument({ width: 100, height: 50, title: 'T <1>', description: 'D', body: [] });
  assert.match(svg, /viewBox="0 0 100 50"/);
  assert.match(svg, /<title>T &lt;1&gt;<\/title>/);
  assert.match(svg, /<desc>D<\/desc>/);
});

test('boxes wrap to a new line when the next one would pass the width', () => {
  const { positions, lines } = wrapBoxes([40, 40, 40, 100], 100, 5);
  assert.deepEqual(positions, [
    { x: 0, line: 0 },
    { x: 45, line: 0 },
    { x: 0, line: 1 },
    { x: 0, line: 2 },
  ]);
  assert.equal(lines, 3);
  assert.deepEqual(wordTokens("It's the key: good."), ["it's", 'the', 'key', ':', 'good', '.']);
  const vocabulary = buildVocabulary(['[PAD]'], ['b a', 'a c']);
  assert.deepEqual(vocabulary.tokens, ['[PAD]', 'a', 'b', 'c']);
  assert.equal(vocabulary.idOf('c'), 3);
});

test('the BERT figure shows the three replacements, each keeping its original token as the label', () => {
  const { rows, seed } = maskFigureSentences();
  const tokens = rows.flat();
  assert.deepEqual(
    new Set(tokens.map((token) => token.action)),
    new Set(['none', 'masked', 'random', 'kept']),
  );
  for (const token of tokens) {
    if (token.action === 'masked') assert.equal(token.shown, '[MASK]');
    if (token.action === 'kept' || token.action === 'none')
      assert.equal(token.shown, token.original);
    if (token.action === 'random')
      assert.ok(!['[CLS]', '[SEP]', '[PAD]', '[MASK]'].includes(token.shown));
  }
  for (const row of rows) {
    assert.equal(row[0].original, '[CLS]');
    assert.equal(row.at(-1).original, '[SEP]');
    assert.equal(row[0].action, 'none', '[CLS] is never selected');
    // 'exact-round': Python's round(n · 0.15) tokens of a row of n (ties to even), at least 1.
    const selected = row.filter((token) => token.action !== 'none').length;
    assert.equal(selected, Math.max(1, roundHalfToEven(row.length * 0.15)), `row of ${row.length}`);
  }
  const svg = renderBertMasking({ width: 760 });
  assert.match(svg, new RegExp(`seed ${seed}`));
});

test('over a large batch the masker selects 15 % and splits them 80/10/10, within 1.5 points', () => {
  const shares = maskingShares();
  // 2048 rows of 126 selectable tokens: round(128 · 0.15) = 19 selections each.
  assert.ok(Math.abs(shares.selectedShare - 19 / 126) < 1e-9, `selected ${shares.selectedShare}`);
  assert.ok(Math.abs(shares.masked - 0.8) < 0.015, `masked ${shares.masked}`);
  assert.ok(Math.abs(shares.random - 0.1) < 0.015, `random ${shares.random}`);
  assert.ok(Math.abs(shares.kept - 0.1) < 0.015, `kept ${shares.kept}`);
});

test('the GLM figures show a sample with two shuffled spans and the mask j < sep or j ≤ i', () => {
  const { sample } = buildFigureSample();
  assert.ok(sample.spans.length >= 2);
  assert.ok(
    sample.order.some((span, index) => span !== index),
    'Part B in text order',
  );
  // Part B positions repeat the position of their span's mask token in Part A.
  for (let t = sample.sep; t < sample.targets.length; t++) {
    assert.ok(sample.positionIds[t] < sample.sep);
  }
  const length = sample.targets.length;
  let allowed = 0;
  for (let query = 0; query < length; query++) allowed += Math.max(sample.sep, query + 1);
  const attention = renderGlmAttention();
  assert.equal(attention.match(/fill="#2f6fde"/g)?.length, allowed);
  assert.match(renderGlmSample({ width: 360 }), new RegExp(`Part A \\(sep = ${sample.sep}\\)`));
});

test('the LoRA figure shows W, A and B with the shapes and counts of r·(in + out)', () => {
  const planned = planFigureAdapters();
  const { rank } = LORA_FIGURE_SETTINGS.adapters;
  const { hiddenSize } = LORA_FIGURE_SETTINGS.decoder;
  const [target] = planned.plan.targets;
  assert.equal(target.inputSize, hiddenSize);
  assert.equal(target.adapterParameters, rank * (target.inputSize + target.outputSize));
  const svg = renderLoraUpdate(planned);
  assert.match(svg, new RegExp(`\\[${hiddenSize}, ${rank}\\]`));
  assert.match(svg, new RegExp(`\\[${rank}, ${hiddenSize}\\]`));
  assert.match(svg, new RegExp(`${(rank * 2 * hiddenSize).toLocaleString('en-US')} trainable`));
});

test('the prefix figure opens P columns to every query and keeps the causal mask after them', () => {
  const data = prefixFigureData();
  const { numVirtualTokens, sizes, tokens } = PREFIX_FIGURE_SETTINGS;
  const keys = numVirtualTokens + tokens.length;
  assert.deepEqual(data.keyShape, [1, sizes.numHeads, numVirtualTokens, sizes.headSize]);
  for (let query = 0; query < tokens.length; query++) {
    for (let key = 0; key < keys; key++) {
      const visible = key < numVirtualTokens || key - numVirtualTokens <= query;
      assert.equal(data.bias[query * keys + key] === 0, visible, `query ${query}, key ${key}`);
    }
  }
  assert.equal(
    data.parameters,
    numVirtualTokens * sizes.numLayers * 2 * sizes.numHeads * sizes.headSize,
  );
});

test('the chunking figure splits N rows into ceil(N / chunk) chunks and shows both measured peaks', () => {
  const svg = renderFusedChunking(
    {
      positions: 1000,
      vocabularySize: 5000,
      naivePeakBytes: 300 * 2 ** 20,
      fusedPeakBytes: 30 * 2 ** 20,
    },
    128,
  );
  assert.match(svg, /8 chunks of 128 rows/);
  assert.match(svg, /peak 300 MiB/);
  assert.match(svg, /peak 30 MiB/);
  assert.equal(svg.match(/chunk \d+:/g)?.length, 8);
});
