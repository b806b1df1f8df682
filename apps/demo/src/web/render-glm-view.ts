import type { GlmTaskExplanation } from '../tasks/demo-task';
import type { AppState } from './app-state';
import { drawAttentionHeatmap } from './attention-heatmap';
import { element } from './dom';
import { glmViewModel } from './glm-view-model';
import { renderSampleTable } from './render-sample-table';
import { renderLegend, renderTokenChips } from './render-token-chips';

/** Largest heatmap side in CSS pixels; the canvas scales down further on narrow screens. */
const HEATMAP_MAX_SIDE = 520;

/**
 * The GLM view: Part A with its masks, Part B's spans in the sampled order, the two position rows,
 * the attention mask as a heatmap, and the model's infilled spans on fixed examples.
 */
export function renderGlmView(explanation: GlmTaskExplanation): {
  readonly root: HTMLElement;
  updateSamples(state: AppState): void;
} {
  const model = glmViewModel(explanation);
  const canvas = element('canvas', {
    class: 'heatmap',
    role: 'img',
    'data-size': model.attention.size,
    'data-allowed': model.attention.allowed,
    'aria-label': `Attention mask, ${model.attention.size} by ${model.attention.size}: ${model.attention.allowed} allowed query–key pairs. Every query sees all ${model.attention.separator} Part A keys; a Part B query also sees Part B keys up to itself.`,
  });
  drawAttentionHeatmap(
    canvas,
    explanation.attentionMask,
    model.attention.separator,
    HEATMAP_MAX_SIDE,
  );
  const samples = element('div', { 'data-part': 'infills' });
  const root = element('div', { class: 'view', 'data-view': 'glm' }, [
    element('p', {}, [
      `Blank mode: ${model.mode}. Part A is the text with each span replaced by one mask; Part B generates the spans, one after another, in a random order.`,
    ]),
    element('h3', {}, ['Part A']),
    renderLegend([
      { role: 'masked', label: 'mask token (a blanked span)' },
      { role: 'untouched', label: 'visible text' },
      { role: 'special', label: 'special token' },
    ]),
    renderTokenChips(model.partA, 'Part A tokens', () => ({ 'data-part': 'A' })),
    element('h3', {}, ['Part B: the spans in the sampled order']),
    element('div', { class: 'table-wrap' }, [
      element('table', { class: 'spans', 'data-kind': 'glm-spans' }, [
        element('thead', {}, [
          element('tr', {}, [
            element('th', { scope: 'col' }, ['order']),
            element('th', { scope: 'col' }, ['blank']),
            element('th', { scope: 'col' }, ['tokens in the text']),
            element('th', { scope: 'col' }, ['span']),
          ]),
        ]),
        element(
          'tbody',
          {},
          model.spans.map((span) =>
            element('tr', { 'data-span': span.order }, [
              element('td', {}, [String(span.order)]),
              element('td', {}, [String(span.blank + 1)]),
              element('td', {}, [`${span.start}–${span.end - 1}`]),
              element('td', {}, [span.text]),
            ]),
          ),
        ),
      ]),
    ]),
    element('div', { class: 'view-grid' }, [
      element('div', {}, [
        element('h3', {}, ['Two position rows']),
        element('p', { class: 'help' }, [
          'Row 1: position in Part A (a span reuses its mask’s). Row 2: 0 in Part A, 1, 2, … inside each span.',
        ]),
        // One small column per input token, wrapping onto as many lines as the width needs: no
        // sideways scrolling, however long the sample.
        element(
          'ol',
          {
            class: 'position-columns',
            'data-kind': 'glm-positions',
            'aria-label': 'Position ids of every input token',
          },
          [
            element('li', { class: 'position-legend', 'aria-hidden': 'true' }, [
              element('span', {}, ['token']),
              element('span', {}, ['pos. 1']),
              element('span', {}, ['pos. 2']),
            ]),
            ...model.columns.map((column, index) =>
              element(
                'li',
                {
                  'data-part': column.part,
                  'aria-label': `position ${index}, Part ${column.part}: “${column.token}”, position 1 = ${column.position}, position 2 = ${column.blockPosition}`,
                },
                [
                  element('span', { class: 'position-token' }, [column.token]),
                  element('span', { 'data-row': 'position' }, [String(column.position)]),
                  element('span', { 'data-row': 'block-position' }, [String(column.blockPosition)]),
                ],
              ),
            ),
          ],
        ),
      ]),
      element('figure', { class: 'chart' }, [
        element('h3', {}, ['Attention mask']),
        canvas,
        element('figcaption', {}, [
          `Rows are queries, columns keys (${model.attention.size} × ${model.attention.size}); dark = may attend. The red lines close Part A (${model.attention.separator} tokens): everything sees Part A, Part B sees itself causally.`,
        ]),
      ]),
    ]),
    samples,
  ]);
  return {
    root,
    updateSamples(state) {
      const snapshot = state.latestSamples;
      if (!snapshot) return;
      samples.replaceChildren(
        element('h3', {}, [`The model's infilled spans on fixed examples (step ${snapshot.step})`]),
        renderSampleTable(snapshot.samples, 'glm-infills', [
          'input (Part A)',
          'model’s spans',
          'original spans',
        ]),
      );
    },
  };
}
