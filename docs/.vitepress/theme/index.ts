import type { Theme } from 'vitepress';
import { inBrowser, onContentUpdated } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import { DocFigure } from './doc-figure';
import { installScrollHints } from './scroll-hints';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('DocFigure', DocFigure);
  },
  setup() {
    onContentUpdated(() => {
      if (inBrowser) installScrollHints();
    });
  },
} satisfies Theme;
