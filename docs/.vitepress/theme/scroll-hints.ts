// Marks the page's horizontally scrolling blocks (code, tables, display formulas) that are wider
// than the column, so that CSS can show a "scroll" hint at their right edge until the reader has
// scrolled to the end. Without JavaScript they still scroll; the hint is an addition.

/** The wrapper that carries the hint, and the element inside it that scrolls. */
const SCROLLERS: ReadonlyArray<readonly [wrapper: string, scroller: string]> = [
  ['.vp-doc .scroll-frame', ':scope > table, :scope > mjx-container'],
  ['.vp-doc div[class*="language-"]', ':scope > pre'],
];

/** Sets `data-scrollable` (content wider than the box) and `data-scrolled-end` on the wrapper. */
export function updateScrollHint(wrapper: HTMLElement, scroller: HTMLElement): void {
  const scrollable = scroller.scrollWidth > scroller.clientWidth + 1;
  const atEnd = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1;
  wrapper.toggleAttribute('data-scrollable', scrollable);
  wrapper.toggleAttribute('data-scrolled-end', scrollable && atEnd);
}

/** For each observed element: the wrapper to mark and the scroller to measure. */
const observed = new WeakMap<Element, { wrapper: HTMLElement; scroller: HTMLElement }>();
let resizeObserver: ResizeObserver | undefined;

/** Finds the page's scrolling blocks and keeps their hints up to date (call on every page). */
export function installScrollHints(root: ParentNode = document): void {
  // The previous page's blocks are gone: observe only this page's.
  resizeObserver?.disconnect();
  resizeObserver = new ResizeObserver((entries) => {
    for (const { target } of entries) {
      const pair = observed.get(target);
      if (pair) updateScrollHint(pair.wrapper, pair.scroller);
    }
  });
  const updates: Array<() => void> = [];
  for (const [wrapperSelector, scrollerSelector] of SCROLLERS) {
    for (const wrapper of root.querySelectorAll<HTMLElement>(wrapperSelector)) {
      const scroller = wrapper.querySelector<HTMLElement>(scrollerSelector);
      if (!scroller) continue;
      if (!observed.has(scroller)) {
        scroller.addEventListener('scroll', () => updateScrollHint(wrapper, scroller), {
          passive: true,
        });
      }
      // The box resizes with the window; its content, when fonts load (the box keeps its size).
      for (const target of [scroller, ...scroller.children]) {
        observed.set(target, { wrapper, scroller });
        resizeObserver.observe(target);
      }
      const update = () => updateScrollHint(wrapper, scroller);
      update();
      updates.push(update);
    }
  }
  // Tests wait for this mark: the hints are set once the page's fonts have loaded.
  void document.fonts.ready.then(() => {
    for (const update of updates) update();
    document.documentElement.setAttribute('data-scroll-hints', 'ready');
  });
}
