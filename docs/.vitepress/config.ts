import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DefaultTheme, defineConfig } from 'vitepress';
import { markdownExtensions } from './markdown-extensions';
import { mergeOverloadSections, splitSections } from './search-index';
import { DEMO_URL, REPOSITORY_URL } from './site-links';

/** Reading order of the API packages: the contract first, then the objectives, then the tools. */
const PACKAGE_ORDER = [
  '@lm-objectives/core',
  '@lm-objectives/bert',
  '@lm-objectives/glm',
  '@lm-objectives/lora',
  '@lm-objectives/lora/layers',
  '@lm-objectives/prefix',
  '@lm-objectives/models',
  '@lm-objectives/trainer',
  '@lm-objectives/trainer/node',
  '@lm-objectives/testing',
  '@lm-objectives/safetensors',
];

/** The API sidebar TypeDoc writes (`pnpm docs:api`), one group per package; empty before it runs. */
function apiPackages(): DefaultTheme.SidebarItem[] {
  const file = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
  if (!existsSync(file)) return [];
  const packages = JSON.parse(readFileSync(file, 'utf8')) as DefaultTheme.SidebarItem[];
  const rank = (item: DefaultTheme.SidebarItem) => {
    const index = PACKAGE_ORDER.indexOf(item.text ?? '');
    return index === -1 ? PACKAGE_ORDER.length : index;
  };
  return packages.sort((a, b) => rank(a) - rank(b));
}

/**
 * One sidebar per package (its own symbols, expanded) plus the list of packages for the API index:
 * a single sidebar of every symbol of every package would be rendered into each of the ~400 API
 * pages.
 */
function apiSidebars(): DefaultTheme.SidebarMulti {
  const packages = apiPackages();
  const index: DefaultTheme.SidebarItem = {
    text: 'API reference',
    link: '/api/',
    items: packages.map(({ text, link }) => ({ text, link })),
  };
  const sidebars: DefaultTheme.SidebarMulti = { '/api/': [index] };
  for (const item of packages) {
    if (!item.link) continue;
    sidebars[item.link.replace(/index\.md$/, '')] = [
      { text: '← All packages', link: '/api/' },
      {
        ...item,
        collapsed: false,
        items: item.items?.map((group) => ({ ...group, collapsed: false })),
      },
    ];
  }
  return sidebars;
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guide',
    items: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'Training, checkpoints and errors', link: '/guide/training' },
      { text: 'The cross-entropy contract', link: '/guide/cross-entropy' },
      { text: 'Performance', link: '/guide/performance' },
      { text: 'Backends: WebGPU, threads', link: '/guide/backends' },
      { text: 'Benchmark data', link: '/guide/benchmark-data' },
      { text: 'Writing an objective plugin', link: '/guide/writing-a-plugin' },
      { text: 'Coming from Python', link: '/guide/coming-from-python' },
      { text: 'Adapters to and from PEFT', link: '/guide/peft-interop' },
      { text: 'Moving to and from PyTorch', link: '/guide/moving-to-and-from-pytorch' },
    ],
  },
  {
    text: 'Objectives',
    items: [
      { text: 'BERT: masked LM + NSP', link: '/objectives/bert' },
      { text: 'GLM: blank infilling', link: '/objectives/glm' },
      { text: 'LoRA: conditional LM', link: '/objectives/lora' },
      { text: 'Prefix tuning', link: '/objectives/prefix' },
    ],
  },
];

export default defineConfig({
  title: 'lm-objectives',
  description:
    'Language-model training objectives (BERT, GLM, LoRA, prefix tuning) for TensorFlow.js, as installable plugins.',
  cleanUrls: true,
  // The demo is built by its own package and copied into the site's `demo/` folder after
  // VitePress (scripts/bundle-demo.mjs): VitePress cannot see it, yet its links are not dead.
  ignoreDeadLinks: [/^\/demo\//],
  lastUpdated: false,
  // Sources that are not pages: the tested example programs, tests, scripts and notes.
  srcExclude: [
    'examples/**',
    'test/**',
    'e2e/**',
    'scripts/**',
    'typedoc/**',
    'README.md',
    '.generated/**',
  ],
  vite: {
    // The local search index of ~450 pages (~0.8 MB) is one chunk, loaded when search opens.
    build: { chunkSizeWarningLimit: 1500 },
  },
  markdown: {
    math: true,
    lineNumbers: false,
    config: markdownExtensions,
  },
  // The home page's outside links come from the one configured place (site-links.ts).
  transformPageData(pageData) {
    if (pageData.relativePath !== 'index.md') return;
    const hero = pageData.frontmatter.hero as {
      actions?: { theme?: string; text: string; link: string }[];
    };
    hero.actions = [
      ...(hero.actions ?? []),
      { text: 'Browser demo', link: DEMO_URL },
      { text: 'Repository', link: REPOSITORY_URL },
    ].map((action) => ({ theme: 'alt', ...action }));
  },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/getting-started' },
      { text: 'Objectives', link: '/objectives/bert' },
      { text: 'API', link: '/api/' },
      { text: 'Demo', link: DEMO_URL, target: '_self' },
    ],
    socialLinks: [{ icon: 'github', link: REPOSITORY_URL, ariaLabel: 'The repository' }],
    sidebar: {
      '/guide/': guide,
      '/objectives/': guide,
      ...apiSidebars(),
    },
    search: {
      provider: 'local',
      options: {
        miniSearch: {
          // One result per place: TypeDoc's per-overload headings are merged (search-index.ts).
          _splitIntoSections: (_file, html) => mergeOverloadSections(splitSections(html)),
          searchOptions: {
            // Guides and objective pages explain; rank them above API members and the
            // benchmark data that mention the same names. Runs in the browser: self-contained.
            boostDocument: (id: string) =>
              /^\/(guide|objectives)\//.test(id) &&
              !/^\/guide\/(performance|benchmark-data)/.test(id)
                ? 3
                : 1,
          },
        },
      },
    },
    outline: { level: [2, 3] },
    footer: {
      message: `MIT licensed. <a href="${REPOSITORY_URL}">Repository</a> · <a href="${DEMO_URL}">Browser demo</a>`,
    },
  },
});
