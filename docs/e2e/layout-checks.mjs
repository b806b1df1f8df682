// Checks that run inside a page (passed to `page.evaluate`), so they must be self-contained.

/**
 * Everything in the page's content that is wider than its container: an element reaching past
 * the content column (unless it sits in a horizontally scrolling block), a block that cuts its
 * content off (`overflow: hidden`), a scrolling block without the "scroll" hint, and the page
 * itself scrolling sideways. Returns one sentence per problem; `[]` when the layout fits.
 */
export function findOverflows() {
  const problems = [];
  const windowWidth = document.documentElement.clientWidth;
  /** The horizontal extent of an element's box, within the window, with 1 px of tolerance. */
  const extent = (selector) => {
    const box = document.querySelector(selector)?.getBoundingClientRect() ?? {
      left: 0,
      right: windowWidth,
    };
    return { left: Math.max(0, box.left) - 1, right: Math.min(windowWidth, box.right) + 1 };
  };
  const column = extent('.VPDoc > .container > .content');
  // Blocks with negative side margins (code blocks on phones) reach into the page's padding by
  // design: they must stay within the page.
  const page = extent('.VPDoc');
  const scrollsSideways = (element) =>
    ['auto', 'scroll'].includes(getComputedStyle(element).overflowX);
  const describe = (element) => {
    const classes = typeof element.className === 'string' ? element.className.trim() : '';
    const label = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return `<${element.tagName.toLowerCase()}${classes ? ` class="${classes}"` : ''}> "${label}"`;
  };
  const insideScroller = (element) => {
    for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
      if (ancestor.classList.contains('vp-doc')) return false;
      if (scrollsSideways(ancestor)) return true;
    }
    return false;
  };
  for (const element of document.querySelectorAll('.vp-doc *')) {
    // MathJax's assistive MathML is clipped on purpose: it is for screen readers only.
    if (element.closest('mjx-assistive-mml')) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.opacity === '0' || style.display === 'none')
      continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const overflowing = element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0;
    const bleeds =
      Number.parseFloat(style.marginLeft) < 0 || Number.parseFloat(style.marginRight) < 0;
    const { left, right } = bleeds ? page : column;
    if (!insideScroller(element) && (rect.left < left || rect.right > right)) {
      problems.push(
        `${describe(element)} spans ${Math.round(rect.left)}–${Math.round(rect.right)} px, past the ${bleeds ? 'page' : 'content column'} (${Math.round(left + 1)}–${Math.round(right - 1)} px)`,
      );
    }
    if (overflowing && ['hidden', 'clip'].includes(style.overflowX)) {
      problems.push(
        `${describe(element)} cuts off ${element.scrollWidth - element.clientWidth} px of its content`,
      );
    }
    if (overflowing && scrollsSideways(element) && !element.closest('[data-scrollable]')) {
      problems.push(`${describe(element)} scrolls sideways without the scroll hint`);
    }
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) {
    problems.push(
      `the page scrolls sideways: ${document.documentElement.scrollWidth} px wide in a ${document.documentElement.clientWidth} px window`,
    );
  }
  return problems;
}

/**
 * The characters of `characters` that render as the "missing glyph" box in `element`'s font: each
 * is drawn on a canvas next to a code point no font has (U+10FFFD), and a character whose pixels
 * equal that one's has no glyph.
 */
export function findMissingGlyphs({ selector, characters }) {
  const element = document.querySelector(selector);
  if (!element) return [`no element matches ${selector}`];
  const font = getComputedStyle(element).font;
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const pixels = (character) => {
    context.clearRect(0, 0, 64, 64);
    context.font = font.replace(/\d+(\.\d+)?px/, '40px');
    context.fillStyle = '#000';
    context.fillText(character, 8, 48);
    return context.getImageData(0, 0, 64, 64).data.join(',');
  };
  const missing = pixels('\u{10FFFD}');
  return [...characters].filter((character) => pixels(character) === missing);
}
