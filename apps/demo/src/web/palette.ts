// The demo's colours in one place. The page copies them into CSS custom properties at start-up
// (`applyPalette`), and `palette.test.ts` checks every text/background pair against WCAG AA, so a
// colour change that breaks contrast fails a test instead of shipping.

/** A text colour on a background colour, both `#rrggbb`. */
export interface ColorPair {
  readonly text: string;
  readonly background: string;
}

/** Token chips, by role. Every pair is meant to reach WCAG AA (4.5:1) for normal text. */
export const TOKEN_COLORS = {
  masked: { text: '#ffffff', background: '#8a1c1c' },
  random: { text: '#1f1300', background: '#f2b84b' },
  kept: { text: '#04283f', background: '#9fd3f5' },
  untouched: { text: '#1c1c1c', background: '#ececec' },
  special: { text: '#ffffff', background: '#4a4a5a' },
  prompt: { text: '#1c1c1c', background: '#e3e0f5' },
  completion: { text: '#ffffff', background: '#1d5e3a' },
  padding: { text: '#3d3d3d', background: '#f7f7f7' },
  spanTarget: { text: '#ffffff', background: '#5b2a86' },
  correct: { text: '#ffffff', background: '#1d5e3a' },
  wrong: { text: '#ffffff', background: '#8a1c1c' },
} as const satisfies Record<string, ColorPair>;

/** A token chip role. */
export type TokenColorRole = keyof typeof TOKEN_COLORS;

/** The page's base text on its base background, and muted text. */
export const PAGE_COLORS = {
  body: { text: '#1a1a1a', background: '#fbfbfd' },
  muted: { text: '#4d4d57', background: '#fbfbfd' },
  panel: { text: '#1a1a1a', background: '#ffffff' },
  button: { text: '#ffffff', background: '#2451a6' },
} as const satisfies Record<string, ColorPair>;

/** Heatmap colours: attention allowed / blocked, and the line between Part A and Part B. */
export const HEATMAP_COLORS = {
  allowed: '#2451a6',
  blocked: '#eef1f7',
  boundary: '#c0392b',
} as const;

/**
 * Chart colours: the training loss, the reference lines, the held-out points, and one per accuracy
 * metric (BERT reports two). Non-text graphics
 * need 3:1 against the panel (WCAG 1.4.11).
 */
export const CHART_COLORS = {
  loss: '#2451a6',
  reference: '#6b6b76',
  heldOut: '#a3360f',
  accuracy: ['#a3360f', '#1d5e3a', '#5b2a86'],
} as const;

/** Parses `#rrggbb` into 0–255 channels. */
export function parseHexColor(color: string): [number, number, number] {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) {
    throw new Error(`parseHexColor: expected a colour like '#1a2b3c', received '${color}'.`);
  }
  return [
    Number.parseInt(match[1] as string, 16),
    Number.parseInt(match[2] as string, 16),
    Number.parseInt(match[3] as string, 16),
  ];
}

/**
 * WCAG 2 relative luminance of a `#rrggbb` colour:
 * $L = 0.2126 R + 0.7152 G + 0.0722 B$ over linearised sRGB channels
 * ($c/12.92$ when $c \le 0.04045$, else $((c + 0.055)/1.055)^{2.4}$).
 */
export function relativeLuminance(color: string): number {
  const [red, green, blue] = parseHexColor(color).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * red + 0.7152 * green + 0.0722 * blue;
}

/** WCAG 2 contrast ratio $(L_1 + 0.05) / (L_2 + 0.05)$ with $L_1 \ge L_2$; from 1 to 21. */
export function contrastRatio(first: string, second: string): number {
  const a = relativeLuminance(first);
  const b = relativeLuminance(second);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** Writes the palette into CSS custom properties (`--token-masked-text`, …) on `root`. */
export function applyPalette(root: HTMLElement): void {
  for (const [role, pair] of Object.entries({ ...TOKEN_COLORS, ...PAGE_COLORS })) {
    root.style.setProperty(`--${cssName(role)}-text`, pair.text);
    root.style.setProperty(`--${cssName(role)}-background`, pair.background);
  }
}

/** `spanTarget` → `span-target`. */
export function cssName(role: string): string {
  return role.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
