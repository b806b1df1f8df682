// A line chart as SVG, with logarithmic axes (benchmark sizes and times grow by powers), one line
// per variant and a cross at the top edge where a variant ran out of memory.
import { COLORS, circle, legendItem, line, polyline, svgDocument, text } from '../figures/svg.mjs';

/** Round values to label a log axis between `min` and `max`: 1, 2, 5 × powers of ten. */
export function logTicks(min, max) {
  const ticks = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const step of [1, 2, 5]) {
      const value = step * 10 ** power;
      if (value >= min * 0.999 && value <= max * 1.001) ticks.push(value);
    }
  }
  return ticks;
}

/** A compact label: 8192 → "8k", 128256 → "128k", 0.5 → "0.5". */
export function compactNumber(value) {
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

/**
 * The chart. `series`: `[{ name, color, points: [{ x, y }] }]` where `y` is `undefined` for a run
 * that failed (drawn as a cross at the top, labelled `failureLabel`). `xValues` are the measured
 * sizes, labelled on the x axis.
 */
export function lineChart({
  title,
  description,
  xLabel,
  yLabel,
  series,
  xValues,
  formatY = compactNumber,
  failureLabel = 'out of memory',
  width = 640,
  height = 340,
}) {
  const margin = { top: 48, right: 20, bottom: 86, left: 64 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const measured = series.flatMap((entry) =>
    entry.points.filter((point) => point.y !== undefined).map((point) => point.y),
  );
  const yMin = Math.min(...measured) / 1.3;
  const yMax = Math.max(...measured) * 1.6;
  const xMin = Math.min(...xValues);
  const xMax = Math.max(...xValues);
  const xOf = (x) =>
    margin.left +
    (xMax === xMin
      ? plotWidth / 2
      : ((Math.log(x) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * plotWidth);
  const yOf = (y) =>
    margin.top +
    plotHeight -
    ((Math.log(y) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin))) * plotHeight;
  const body = [text(16, 26, title, { size: 14, weight: 600 })];
  for (const tick of logTicks(yMin, yMax)) {
    body.push(
      line(margin.left, yOf(tick), margin.left + plotWidth, yOf(tick), { stroke: COLORS.grid }),
    );
    body.push(
      text(margin.left - 8, yOf(tick) + 4, formatY(tick), {
        size: 11,
        anchor: 'end',
        color: COLORS.muted,
      }),
    );
  }
  for (const x of xValues) {
    body.push(line(xOf(x), margin.top, xOf(x), margin.top + plotHeight, { stroke: COLORS.grid }));
    body.push(
      text(xOf(x), margin.top + plotHeight + 16, x.toLocaleString('en-US'), {
        size: 11,
        anchor: 'middle',
        color: COLORS.muted,
      }),
    );
  }
  body.push(
    line(margin.left, margin.top + plotHeight, margin.left + plotWidth, margin.top + plotHeight, {
      stroke: COLORS.muted,
    }),
  );
  body.push(
    line(margin.left, margin.top, margin.left, margin.top + plotHeight, { stroke: COLORS.muted }),
  );
  body.push(
    text(margin.left + plotWidth / 2, margin.top + plotHeight + 34, xLabel, {
      size: 12,
      anchor: 'middle',
    }),
  );
  const yLabelX = 16;
  const yLabelY = margin.top + plotHeight / 2;
  body.push(
    text(yLabelX, yLabelY, yLabel, {
      size: 12,
      anchor: 'middle',
      transform: `rotate(-90 ${yLabelX} ${yLabelY})`,
    }),
  );
  let failures = 0;
  // Crosses of several variants failing at the same size sit side by side.
  const crossesAt = new Map();
  for (const entry of series) {
    const measuredPoints = entry.points.filter((point) => point.y !== undefined);
    if (measuredPoints.length > 1) {
      body.push(
        polyline(
          measuredPoints.map((point) => [xOf(point.x), yOf(point.y)]),
          { stroke: entry.color, 'stroke-width': 2.5 },
        ),
      );
    }
    for (const point of measuredPoints)
      body.push(circle(xOf(point.x), yOf(point.y), 3.5, { fill: entry.color }));
    for (const point of entry.points.filter((candidate) => candidate.y === undefined)) {
      failures += 1;
      const stacked = crossesAt.get(point.x) ?? 0;
      crossesAt.set(point.x, stacked + 1);
      const cx = xOf(point.x) - stacked * 13;
      const cy = margin.top - 8;
      body.push(line(cx - 5, cy - 5, cx + 5, cy + 5, { stroke: entry.color, 'stroke-width': 2.5 }));
      body.push(line(cx - 5, cy + 5, cx + 5, cy - 5, { stroke: entry.color, 'stroke-width': 2.5 }));
    }
  }
  let legendX = margin.left;
  let legendY = height - 26;
  for (const entry of series) {
    const item = legendItem(legendX, legendY, entry.color, entry.name);
    if (legendX + item.width > width - 8 && legendX > margin.left) {
      legendX = margin.left;
      legendY += 18;
    }
    body.push(legendItem(legendX, legendY, entry.color, entry.name).svg);
    legendX += item.width;
  }
  if (failures > 0) {
    body.push(
      text(width - margin.right, 26, `✕ at the top: ${failureLabel}`, {
        size: 11,
        anchor: 'end',
        color: COLORS.muted,
      }),
    );
  }
  return svgDocument({ width, height: Math.max(height, legendY + 14), title, description, body });
}
