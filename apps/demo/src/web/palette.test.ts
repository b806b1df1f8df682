import { describe, expect, it } from 'vitest';
import {
  CHART_COLORS,
  contrastRatio,
  cssName,
  HEATMAP_COLORS,
  PAGE_COLORS,
  parseHexColor,
  relativeLuminance,
  TOKEN_COLORS,
} from './palette';

describe('contrast arithmetic', () => {
  it('gives black on white the maximum ratio of 21 and a colour on itself 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });

  it('matches the WCAG worked value for #767676 on white (4.54:1, the lightest AA grey)', () => {
    // WebAIM's contrast checker reports 4.54:1 for #767676 on #FFFFFF.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('computes the luminance of pure sRGB primaries from their coefficients', () => {
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 10);
    expect(relativeLuminance('#00ff00')).toBeCloseTo(0.7152, 10);
    expect(relativeLuminance('#0000ff')).toBeCloseTo(0.0722, 10);
  });

  it('refuses colours that are not #rrggbb, naming the value', () => {
    expect(() => parseHexColor('red')).toThrow(/parseHexColor: expected .* received 'red'/);
  });
});

describe('the demo palette', () => {
  it.each(Object.entries({ ...TOKEN_COLORS, ...PAGE_COLORS }))(
    'gives %s text at least the WCAG AA ratio of 4.5:1',
    (_role, pair) => {
      expect(contrastRatio(pair.text, pair.background)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('draws chart lines and allowed heatmap cells at 3:1 or more against white (WCAG 1.4.11)', () => {
    for (const color of [
      CHART_COLORS.loss,
      CHART_COLORS.reference,
      CHART_COLORS.heldOut,
      ...CHART_COLORS.accuracy,
      HEATMAP_COLORS.allowed,
      HEATMAP_COLORS.boundary,
    ]) {
      expect(contrastRatio(color, '#ffffff')).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio(HEATMAP_COLORS.allowed, HEATMAP_COLORS.blocked)).toBeGreaterThanOrEqual(3);
  });

  it('turns camel-case roles into CSS custom-property names', () => {
    expect(cssName('spanTarget')).toBe('span-target');
    expect(cssName('masked')).toBe('masked');
  });
});
