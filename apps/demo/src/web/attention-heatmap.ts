import { HEATMAP_COLORS } from './palette';

/** Canvas geometry of an $n \times n$ heatmap. */
export interface HeatmapLayout {
  /** Side of one cell in CSS pixels (at least 2, at most 18). */
  readonly cell: number;
  /** Side of the whole grid in CSS pixels: `cell · n`. */
  readonly side: number;
}

/**
 * Picks an integer cell size so that the $n \times n$ grid fits in `maxSide` CSS pixels, with
 * cells of 2 to 18 pixels (smaller would hide single cells, larger wastes room on short samples).
 */
export function heatmapLayout(size: number, maxSide: number): HeatmapLayout {
  if (size <= 0) return { cell: 0, side: 0 };
  const cell = Math.max(2, Math.min(18, Math.floor(maxSide / size)));
  return { cell, side: cell * size };
}

/**
 * Draws the attention mask on a canvas, one cell per (query row, key column): allowed pairs dark,
 * blocked pairs light, and a line after Part A's last key and query (the GLM separator), so the
 * full Part A block and the causal triangle of Part B stand out.
 */
export function drawAttentionHeatmap(
  canvas: HTMLCanvasElement,
  mask: readonly (readonly boolean[])[],
  separator: number,
  maxSide: number,
): HeatmapLayout {
  const size = mask.length;
  const layout = heatmapLayout(size, maxSide);
  const scale = Math.max(1, Math.round(globalThis.devicePixelRatio ?? 1));
  canvas.width = layout.side * scale;
  canvas.height = layout.side * scale;
  canvas.style.width = `${layout.side}px`;
  const context = canvas.getContext('2d');
  if (!context) return layout;
  context.scale(scale, scale);
  context.fillStyle = HEATMAP_COLORS.blocked;
  context.fillRect(0, 0, layout.side, layout.side);
  context.fillStyle = HEATMAP_COLORS.allowed;
  mask.forEach((row, query) => {
    row.forEach((allowed, key) => {
      if (allowed)
        context.fillRect(key * layout.cell, query * layout.cell, layout.cell, layout.cell);
    });
  });
  context.strokeStyle = HEATMAP_COLORS.boundary;
  context.lineWidth = 2;
  const boundary = separator * layout.cell;
  context.beginPath();
  context.moveTo(boundary, 0);
  context.lineTo(boundary, layout.side);
  context.moveTo(0, boundary);
  context.lineTo(layout.side, boundary);
  context.stroke();
  return layout;
}
