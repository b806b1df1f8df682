// typedoc-plugin-markdown escapes `{ } < >` in comments so that Vue does not read them as template
// syntax. Inside `$…$` and `$$…$$` that breaks the LaTeX (`\mathrm\{lse\}`), and it is not needed
// there: VitePress renders formulas with MathJax before Vue compiles the page. This plugin undoes
// the escapes inside formulas only; fenced code blocks and inline code are left alone.
import { MarkdownPageEvent } from 'typedoc-plugin-markdown';

const FENCED_CODE = /(```[\s\S]*?```)/;
const INLINE_CODE = /(`[^`\n]*`)/;
const FORMULA = /\$\$[\s\S]+?\$\$|\$[^$\n]+?\$/g;

/** The formula with TypeDoc's Markdown escapes of braces and angle brackets removed. */
export function unescapeFormula(formula) {
  return formula.replace(/\\([{}<>])/g, '$1');
}

/** Page text with every formula outside code unescaped. */
export function unescapeFormulas(markdown) {
  return markdown
    .split(FENCED_CODE)
    .map((block, blockIndex) => {
      if (blockIndex % 2 === 1) return block;
      return block
        .split(INLINE_CODE)
        .map((piece, pieceIndex) =>
          pieceIndex % 2 === 1 ? piece : piece.replace(FORMULA, unescapeFormula),
        )
        .join('');
    })
    .join('');
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.renderer.on(MarkdownPageEvent.END, (page) => {
    if (typeof page.contents === 'string') page.contents = unescapeFormulas(page.contents);
  });
}
