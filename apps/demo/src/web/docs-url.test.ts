import { describe, expect, it } from 'vitest';
import { docsUrl } from './docs-url';

describe('docsUrl', () => {
  it('links to the documentation root next to the demo unless VITE_DOCS_URL says otherwise', () => {
    expect(docsUrl(undefined)).toBe('../');
    expect(docsUrl('  ')).toBe('../');
    expect(docsUrl('https://example.org/lm-objectives/')).toBe(
      'https://example.org/lm-objectives/',
    );
  });
});
