// How pages enter the local search index. VitePress splits each page at its headings; TypeDoc
// repeats the same headings once per overload ("Call Signature › Parameters", "… › Example"), which
// gave duplicate results. Here a page's sections are merged by heading path, with the per-overload
// "Call Signature" level dropped, so that every result is a distinct place.

/** One indexed section: the anchor it links to, its heading path and its text. */
export interface SearchSection {
  readonly anchor: string;
  readonly titles: string[];
  readonly text: string;
}

/** The heading TypeDoc gives each signature of an overloaded function or method. */
const OVERLOAD_HEADING = 'Call Signature';

const HEADING = /<h(\d*).*?>(.*?<a.*? href="#.*?".*?>.*?<\/a>)<\/h\1>/gi;
const HEADING_CONTENT = /(.*?)<a.*? href="#(.*?)".*?>.*?<\/a>/i;
const stripTags = (html: string) => html.replace(/<[^>]*>/g, '');

/** The page's sections in document order, as VitePress's own splitter finds them. */
export function splitSections(html: string): SearchSection[] {
  const parts = html.split(HEADING);
  parts.shift();
  const sections: SearchSection[] = [];
  let parents: string[] = [];
  for (let index = 0; index < parts.length; index += 3) {
    const level = Number.parseInt(parts[index] ?? '', 10) - 1;
    const heading = HEADING_CONTENT.exec(parts[index + 1] ?? '');
    const title = stripTags(heading?.[1] ?? '').trim();
    const content = parts[index + 2] ?? '';
    if (!title) continue;
    const titles = parents.slice(0, level);
    titles[level] = title;
    sections.push({
      anchor: heading?.[2] ?? '',
      titles: titles.filter(Boolean),
      text: stripTags(content),
    });
    parents = level === 0 ? [title] : Object.assign([...parents], { [level]: title });
  }
  return sections;
}

/** Sections merged by heading path (without the overload level); texts met twice are kept once. */
export function mergeOverloadSections(sections: readonly SearchSection[]): SearchSection[] {
  const merged = new Map<string, { anchor: string; titles: string[]; texts: string[] }>();
  for (const section of sections) {
    const titles = section.titles.filter((title) => title !== OVERLOAD_HEADING);
    const key = titles.join('\u0000');
    const entry = merged.get(key);
    const text = section.text.trim();
    if (!entry) {
      merged.set(key, { anchor: section.anchor, titles, texts: text ? [text] : [] });
    } else if (text && !entry.texts.includes(text)) {
      entry.texts.push(text);
    }
  }
  return [...merged.values()]
    .filter((entry) => entry.titles.length > 0)
    .map(({ anchor, titles, texts }) => ({ anchor, titles, text: texts.join('\n') }));
}
