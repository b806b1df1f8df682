import type { SamplePrediction } from '../tasks/demo-task';
import { element } from './dom';
import { sampleRow } from './sample-rows';

/** A table of sample predictions: input, the model's output, the expected output. */
export function renderSampleTable(
  samples: readonly SamplePrediction[],
  kind: string,
  headings: readonly [string, string, string],
): HTMLElement {
  return element('div', { class: 'table-wrap' }, [
    element('table', { class: 'samples', 'data-kind': kind }, [
      element('thead', {}, [
        element(
          'tr',
          {},
          headings.map((heading) => element('th', { scope: 'col' }, [heading])),
        ),
      ]),
      element(
        'tbody',
        {},
        samples
          .map(sampleRow)
          .map((row) =>
            element('tr', { 'data-matches': String(row.matches) }, [
              element('td', {}, [row.input]),
              element('td', { class: row.matches ? 'match' : undefined }, [row.output]),
              element('td', {}, [row.expected]),
            ]),
          ),
      ),
    ]),
  ]);
}
