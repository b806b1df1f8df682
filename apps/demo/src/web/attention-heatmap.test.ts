import { describe, expect, it } from 'vitest';
import { heatmapLayout } from './attention-heatmap';

describe('heatmapLayout', () => {
  it('fits n cells of whole pixels into the side', () => {
    expect(heatmapLayout(45, 520)).toEqual({ cell: 11, side: 495 });
    expect(heatmapLayout(64, 520)).toEqual({ cell: 8, side: 512 });
  });

  it('caps cells at 18 px for short samples and keeps at least 2 px for long ones', () => {
    expect(heatmapLayout(4, 520)).toEqual({ cell: 18, side: 72 });
    expect(heatmapLayout(1000, 520)).toEqual({ cell: 2, side: 2000 });
  });

  it('draws nothing for an empty mask', () => {
    expect(heatmapLayout(0, 520)).toEqual({ cell: 0, side: 0 });
  });
});
