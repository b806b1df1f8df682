// The fused loss's chunking: full logits [N, V] against linearCrossEntropy's one chunk of
// DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE rows at a time, with the peak memory both measured in
// core's committed benchmark (the key case N = 1024, V = 32,000).
import { DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE } from '@lm-objectives/core';
import { findResultFiles } from '../benchmarks/result-files.mjs';
import { mebibytes } from '../benchmarks/schemas/format.mjs';
import {
  keyCaseMemory,
  linearCrossEntropySchema,
} from '../benchmarks/schemas/linear-cross-entropy.mjs';
import { COLORS, heading, rect, svgDocument, text, textLines } from './svg.mjs';

/** The key case's measured memory, read from core's committed results. */
export function measuredMemory(root) {
  const file = findResultFiles(root).find((candidate) =>
    linearCrossEntropySchema.matches(candidate.data),
  );
  if (!file) throw new Error('fused-chunking: no linear cross-entropy results are committed');
  return keyCaseMemory(file.data);
}

/** The figure: the naive side holds every row of logits, the fused side one chunk. */
export function renderFusedChunking(memory, chunkSize = DEFAULT_LINEAR_CROSS_ENTROPY_CHUNK_SIZE) {
  const { positions, vocabularySize } = memory;
  const chunks = Math.ceil(positions / chunkSize);
  const width = 640;
  const margin = 16;
  const blockWidth = 250;
  const blockHeight = 240;
  const top = 78;
  const rowHeight = blockHeight / chunks;
  const logitsBytes = positions * vocabularySize * 4;
  const body = heading(
    `Logits of N = ${positions} positions over V = ${vocabularySize.toLocaleString('en-US')} tokens`,
    "one forward + backward pass; measured peak tensor memory from core's benchmark",
  );
  /** The measured peak under a block, when the benchmark has it. */
  const peak = (x, bytes, color) =>
    bytes
      ? [
          text(x + blockWidth / 2, top + blockHeight + 22, `peak ${mebibytes(bytes)}`, {
            size: 13,
            anchor: 'middle',
            weight: 600,
            color,
          }),
        ]
      : [];
  // Naive: every row of logits (and the same again for their gradient) at once.
  const leftX = margin + 20;
  body.push(text(leftX, top - 10, 'full logits, naive autodiff', { size: 13, weight: 600 }));
  body.push(rect(leftX, top, blockWidth, blockHeight, { fill: '#f3d4c4', stroke: '#c2410c' }));
  body.push(
    text(
      leftX + blockWidth / 2,
      top + blockHeight / 2 - 4,
      `[${positions}, ${vocabularySize.toLocaleString('en-US')}]`,
      { mono: true, size: 14, anchor: 'middle' },
    ),
  );
  body.push(
    text(leftX + blockWidth / 2, top + blockHeight / 2 + 16, `${mebibytes(logitsBytes)} per copy`, {
      size: 12,
      anchor: 'middle',
      color: COLORS.muted,
    }),
  );
  body.push(...peak(leftX, memory.naivePeakBytes, '#c2410c'));
  // Fused: chunk c alive, the others not built.
  const rightX = leftX + blockWidth + 70;
  const active = 2;
  body.push(
    text(rightX, top - 10, `fused: ${chunks} chunks of ${chunkSize} rows`, {
      size: 13,
      weight: 600,
    }),
  );
  for (let chunk = 0; chunk < chunks; chunk++) {
    const current = chunk === active;
    const done = chunk < active;
    body.push(
      rect(rightX, top + chunk * rowHeight + 1, blockWidth, rowHeight - 2, {
        fill: current ? COLORS.masked : COLORS.background,
        stroke: current ? COLORS.masked : COLORS.frame,
        'stroke-dasharray': current ? undefined : '4 3',
      }),
    );
    const label = current
      ? `chunk ${chunk + 1}: [${chunkSize}, ${vocabularySize.toLocaleString('en-US')}] alive`
      : done
        ? `chunk ${chunk + 1}: scored, freed`
        : `chunk ${chunk + 1}: not built yet`;
    body.push(
      text(rightX + 10, top + chunk * rowHeight + rowHeight / 2 + 4, label, {
        size: 11,
        color: current ? '#ffffff' : COLORS.muted,
        weight: current ? 600 : undefined,
      }),
    );
  }
  body.push(...peak(rightX, memory.fusedPeakBytes, COLORS.masked));
  const notes = [
    `Per chunk c: z = h_c W, its log-sum-exp, and at once the gradient g = (softmax(z) − onehot(y)) / N,`,
    `∂h_c = g Wᵀ, ∂W += h_cᵀ g — so one [${chunkSize}, ${vocabularySize.toLocaleString('en-US')}] block of logits (${mebibytes(chunkSize * vocabularySize * 4)}) exists at any time.`,
  ];
  const lines = textLines(margin, top + blockHeight + 52, notes, { size: 12, lineHeight: 18 });
  body.push(...lines.svg);
  return svgDocument({
    width,
    height: lines.next + margin - 6,
    title: 'The fused loss processes the logits chunk by chunk',
    description: `Naive autodiff builds all ${positions} by ${vocabularySize} logits and their gradient (peak ${memory.naivePeakBytes ? mebibytes(memory.naivePeakBytes) : 'not measured'}); linearCrossEntropy builds ${chunkSize} rows at a time, ${chunks} chunks in turn, computing the gradient in the same pass (peak ${memory.fusedPeakBytes ? mebibytes(memory.fusedPeakBytes) : 'not measured'}).`,
    body,
  });
}

/** The figure's file. */
export function fusedChunkingFigures(root) {
  return [{ file: 'fused-chunking.svg', svg: renderFusedChunking(measuredMemory(root)) }];
}
