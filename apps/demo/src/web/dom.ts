// A few lines of DOM building, so the view renderers read as markup.

type Child = Node | string | null | undefined | false;

/** Creates `<tag>` with attributes (`data-*`, `aria-*`, `class`, …) and children (strings become text). */
export function element<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  children: readonly Child[] = [],
): HTMLElementTagNameMap[Tag] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** Looks up an element the page's HTML must contain, failing loudly if the markup changed. */
export function required<Type extends HTMLElement>(id: string): Type {
  const node = document.getElementById(id);
  if (!node)
    throw new Error(`The page has no element #${id}: web/index.html and src/web/main.ts disagree.`);
  return node as Type;
}
