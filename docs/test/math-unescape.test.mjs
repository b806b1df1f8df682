import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unescapeFormulas } from '../typedoc/math-unescape.mjs';

test('the escapes TypeDoc adds for Vue are removed inside inline and display formulas', () => {
  assert.equal(
    unescapeFormulas('with $\\mathrm\\{lse\\}_t$ and\n$$e^\\{z_\\{t,v\\}\\} \\< 1$$'),
    'with $\\mathrm{lse}_t$ and\n$$e^{z_{t,v}} < 1$$',
  );
});

test('escapes outside formulas, in inline code and in fenced code are kept', () => {
  const text = 'a \\{ b `$x\\{$` c\n```ts\nconst f = $\\{a\\}$;\n```\n';
  assert.equal(unescapeFormulas(text), text);
});

test('a formula spanning lines is one formula', () => {
  assert.equal(unescapeFormulas('$$\n\\frac\\{1\\}\\{N\\}\n$$'), '$$\n\\frac{1}{N}\n$$');
});
