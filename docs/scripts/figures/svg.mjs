// The few SVG primitives the docs' figures are drawn with. Figures are shown through <img>, so
// they carry their own background, fonts and colours (the page's CSS does not reach them), and
// their text is escaped here once.

/** Monospace text: token boxes are sized from the character count. */
export const MONO_FONT =
  "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";
/** Proportional text: titles, captions inside the figure, axis labels. */
export const SANS_FONT =
  "ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";
/** Width of one monospace character as a share of the font size (close for every font above). */
export const MONO_ADVANCE = 0.6;

/** The colours every figure shares, so that one concept has one colour across the site. */
export const COLORS = Object.freeze({
  background: '#ffffff',
  frame: '#d0d7de',
  text: '#1f2328',
  muted: '#59636e',
  grid: '#e6e9ed',
  masked: '#2f6fde',
  random: '#d97706',
  kept: '#14925f',
  partA: '#dbe7fb',
  partAStroke: '#7ea2e0',
  partB: '#fdecc8',
  partBStroke: '#d9a13b',
  allowed: '#2f6fde',
  forbidden: '#eef1f4',
  frozen: '#c9d1d9',
  trainable: '#d97706',
  highlight: '#fdecc8',
});

/** `value` safe as XML text or an attribute value. */
export function escapeXml(value) {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Rounds coordinates so that the files stay small and stable from run to run. */
export function round(value) {
  return Math.round(value * 100) / 100;
}

function attributes(values) {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined && value !== null && value !== false)
    .map(
      ([name, value]) =>
        ` ${name}="${escapeXml(typeof value === 'number' ? round(value) : value)}"`,
    )
    .join('');
}

/** A `<rect>`. */
export function rect(x, y, width, height, extra = {}) {
  return `<rect${attributes({ x, y, width, height, ...extra })}/>`;
}

/** A `<line>`. */
export function line(x1, y1, x2, y2, extra = {}) {
  return `<line${attributes({ x1, y1, x2, y2, stroke: COLORS.muted, ...extra })}/>`;
}

/** A `<path>` through the given points (`[[x, y], …]`). */
export function polyline(points, extra = {}) {
  const d = points
    .map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${round(x)} ${round(y)}`)
    .join(' ');
  return `<path${attributes({ d, fill: 'none', ...extra })}/>`;
}

/** A `<circle>`. */
export function circle(cx, cy, r, extra = {}) {
  return `<circle${attributes({ cx, cy, r, ...extra })}/>`;
}

/**
 * A `<text>`; `options.mono` switches to the monospace font, `options.anchor` is `start`, `middle`
 * or `end`, `options.weight` a font weight, other options become attributes.
 */
export function text(x, y, content, options = {}) {
  const {
    mono = false,
    size = 13,
    anchor = 'start',
    weight,
    color = COLORS.text,
    ...extra
  } = options;
  return `<text${attributes({
    x,
    y,
    'font-family': mono ? MONO_FONT : SANS_FONT,
    'font-size': size,
    'text-anchor': anchor,
    'font-weight': weight,
    fill: color,
    ...extra,
  })}>${escapeXml(content)}</text>`;
}

/** Width of `content` in the monospace font at `size`. */
export function monoWidth(content, size) {
  return [...String(content)].length * size * MONO_ADVANCE;
}

/** A group, translated by (x, y). */
export function group(x, y, children) {
  return `<g transform="translate(${round(x)} ${round(y)})">${children.join('')}</g>`;
}

/**
 * A complete SVG document of the given size, with a white card behind it (readable on the light
 * and the dark theme) and the accessible `title`/`desc` that image viewers and screen readers read.
 */
export function svgDocument({ width, height, title, description, body }) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${round(width)} ${round(height)}" width="${round(width)}" height="${round(height)}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(description)}</desc>`,
    rect(0.5, 0.5, width - 1, height - 1, {
      rx: 8,
      fill: COLORS.background,
      stroke: COLORS.frame,
    }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** A legend entry: a swatch and its label; returns the SVG and the width it took. */
export function legendItem(x, y, color, label, options = {}) {
  const { size = 12, outline = false } = options;
  const swatch = outline
    ? rect(x, y - size + 2, size, size, {
        fill: COLORS.background,
        stroke: color,
        'stroke-width': 2,
        rx: 2,
      })
    : rect(x, y - size + 2, size, size, { fill: color, rx: 2 });
  const label_ = text(x + size + 6, y, label, { size });
  return { svg: swatch + label_, width: size + 6 + label.length * size * 0.55 + 16 };
}

/** A figure's title (bold) at the top left, and an optional subtitle under it. */
export function heading(title, subtitle, options = {}) {
  const { x = 16, y = 30, mono = false } = options;
  return [
    text(x, y, title, { size: 14, weight: 600 }),
    ...(subtitle ? [text(x, y + 18, subtitle, { size: 12, color: COLORS.muted, mono })] : []),
  ];
}

/**
 * Lines of text from (x, y) down, `lineHeight` apart; returns their SVG and the baseline after the
 * last line.
 */
export function textLines(x, y, lines, options = {}) {
  const { lineHeight = 16, ...textOptions } = options;
  return {
    svg: lines.map((content, index) => text(x, y + index * lineHeight, content, textOptions)),
    next: y + lines.length * lineHeight,
  };
}
