// A horizontal bar chart as SVG: groups of labelled bars on one linear scale (tokens per second
// of each backend, per task).
import { COLORS, rect, svgDocument, text } from '../figures/svg.mjs';

/** `groups`: `[{ label, bars: [{ label, value, color }] }]`; `formatValue` labels each bar. */
export function barChart({ title, description, groups, formatValue, width = 640 }) {
  const margin = 16;
  const labelWidth = 170;
  const barHeight = 16;
  const plotWidth = width - margin * 2 - labelWidth - 90;
  const maxValue = Math.max(...groups.flatMap((entry) => entry.bars.map((bar) => bar.value)));
  const body = [text(margin, 26, title, { size: 14, weight: 600 })];
  let y = 50;
  for (const entry of groups) {
    body.push(text(margin, y + 12, entry.label, { size: 12, weight: 600 }));
    y += 20;
    for (const bar of entry.bars) {
      const barWidth = Math.max(1, (bar.value / maxValue) * plotWidth);
      body.push(
        text(margin + labelWidth - 8, y + barHeight - 4, bar.label, {
          size: 11,
          anchor: 'end',
          color: COLORS.muted,
        }),
      );
      body.push(rect(margin + labelWidth, y, barWidth, barHeight, { rx: 2, fill: bar.color }));
      body.push(
        text(margin + labelWidth + barWidth + 6, y + barHeight - 4, formatValue(bar.value), {
          size: 11,
        }),
      );
      y += barHeight + 4;
    }
    y += 10;
  }
  return svgDocument({ width, height: y + margin, title, description, body });
}
