// `<DocFigure src alt [narrow]>caption</DocFigure>`: a figure generated at build time
// (`scripts/build-figures.mjs` → `public/figures/<src>.svg`), with its alt text and caption. A
// `<src>-narrow.svg` variant, laid out for phones, is used below 640 px when `narrow` is set.
import { withBase } from 'vitepress';
import { defineComponent, h } from 'vue';

export const DocFigure = defineComponent({
  name: 'DocFigure',
  props: {
    /** The file name without `.svg` under `/figures/`. */
    src: { type: String, required: true },
    /** What the picture shows, for readers who cannot see it. */
    alt: { type: String, required: true },
    /** Whether `<src>-narrow.svg` exists. */
    narrow: { type: Boolean, default: false },
  },
  setup(props, { slots }) {
    return () =>
      h('figure', { class: 'doc-figure' }, [
        h('picture', [
          props.narrow
            ? h('source', {
                media: '(max-width: 639px)',
                srcset: withBase(`/figures/${props.src}-narrow.svg`),
              })
            : null,
          h('img', { src: withBase(`/figures/${props.src}.svg`), alt: props.alt }),
        ]),
        h('figcaption', slots.default?.()),
      ]);
  },
});
