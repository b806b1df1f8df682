/** Options of {@link svgLossCurve}. */
export interface LossCurveOptions {
  readonly width?: number;
  readonly height?: number;
  /** Horizontal reference lines (e.g. $\ln V$ and the unigram loss), drawn dashed and labelled. */
  readonly references?: readonly { readonly value: number; readonly label: string }[];
  /** Evaluation losses to mark: before training at step 0, after at the last step. */
  readonly evaluation?: { readonly initial: number; readonly final: number };
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A hand-written SVG line chart of training losses per step (no script, no external asset), with
 * y-axis ticks, dashed reference lines and the evaluation losses as dots.
 */
export function svgLossCurve(losses: readonly number[], options: LossCurveOptions = {}): string {
  const width = options.width ?? 560;
  const height = options.height ?? 240;
  const margin = { left: 44, right: 12, top: 12, bottom: 28 };
  const values = [
    ...losses,
    ...(options.references ?? []).map((reference) => reference.value),
    ...(options.evaluation ? [options.evaluation.initial, options.evaluation.final] : []),
  ].filter(Number.isFinite);
  const low = Math.floor(Math.min(...values, Number.POSITIVE_INFINITY));
  const high = Math.ceil(Math.max(...values, Number.NEGATIVE_INFINITY));
  const span = Math.max(1, high - low);
  const steps = Math.max(1, losses.length);
  const x = (step: number) => margin.left + ((width - margin.left - margin.right) * step) / steps;
  const y = (loss: number) =>
    margin.top + ((height - margin.top - margin.bottom) * (high - loss)) / span;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="training loss per step">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
  ];
  const tickCount = Math.min(span, 6);
  for (let tick = 0; tick <= tickCount; tick++) {
    const value = low + (span * tick) / tickCount;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${margin.left - 6}" y="${(y(value) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#555">${value.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<text x="${width - margin.right}" y="${height - 8}" font-size="11" text-anchor="end" fill="#555">step ${losses.length}</text>`,
    `<text x="${margin.left}" y="${height - 8}" font-size="11" fill="#555">0</text>`,
  );
  for (const reference of options.references ?? []) {
    const referenceY = y(reference.value).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${referenceY}" y2="${referenceY}" stroke="#999" stroke-dasharray="5 4"/>`,
      `<text x="${width - margin.right}" y="${Number(referenceY) - 4}" font-size="11" text-anchor="end" fill="#777">${escapeText(reference.label)}</text>`,
    );
  }
  const points = losses
    .map((loss, index) => `${x(index + 1).toFixed(1)},${y(loss).toFixed(1)}`)
    .join(' ');
  if (losses.length > 0) {
    parts.push(`<polyline points="${points}" fill="none" stroke="#2563eb" stroke-width="1.5"/>`);
  }
  if (options.evaluation) {
    parts.push(
      `<circle cx="${x(0).toFixed(1)}" cy="${y(options.evaluation.initial).toFixed(1)}" r="4" fill="#dc2626"><title>evaluation before: ${options.evaluation.initial.toFixed(3)}</title></circle>`,
      `<circle cx="${x(steps).toFixed(1)}" cy="${y(options.evaluation.final).toFixed(1)}" r="4" fill="#dc2626"><title>evaluation after: ${options.evaluation.final.toFixed(3)}</title></circle>`,
    );
  }
  parts.push('</svg>');
  return parts.join('');
}
