// markdown-it additions for every page (guides and the generated API pages alike):
// - tables and display formulas are wrapped in a `.scroll-frame`, which shows a hint when they are
//   wider than the column and scroll (the theme's `scroll-hints.ts` marks them);
// - links written `repo:<path>` point into the repository and `demo:` to the browser demo, so
//   that both addresses live in one place (`site-links.ts`).
import type { MarkdownRenderer } from 'vitepress';
import { DEMO_URL, REPOSITORY_URL, repositoryPath } from './site-links';

type RenderRule = NonNullable<MarkdownRenderer['renderer']['rules']['table_open']>;

function wrapRule(md: MarkdownRenderer, name: string, before: string, after: string): void {
  const original: RenderRule =
    md.renderer.rules[name] ??
    ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules[name] = (tokens, index, options, env, self) =>
    `${before}${original(tokens, index, options, env, self)}${after}`;
}

/** The address a `repo:` or `demo:` link stands for; other links are returned unchanged. */
export function resolveSiteLink(href: string): string {
  if (href === 'repo:') return REPOSITORY_URL;
  if (href.startsWith('repo:')) return repositoryPath(href.slice('repo:'.length));
  if (href === 'demo:') return DEMO_URL;
  return href;
}

export function markdownExtensions(md: MarkdownRenderer): void {
  wrapRule(md, 'table_open', '<div class="scroll-frame">', '');
  wrapRule(md, 'table_close', '', '</div>');
  wrapRule(md, 'math_block', '<div class="scroll-frame">', '</div>');
  md.core.ruler.push('site_links', (state) => {
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = token.attrGet('href');
        if (href && resolveSiteLink(href) !== href) token.attrSet('href', resolveSiteLink(href));
      }
    }
  });
}
