import type { BertTaskExplanation } from '../tasks/demo-task';
import type { AppState } from './app-state';
import { bertViewModel } from './bert-view-model';
import { element } from './dom';
import { renderLegend, renderTokenChips } from './render-token-chips';
import { maskedPredictionRow } from './sample-rows';

/** The BERT view: the masked pair, the NSP label and the model's top guesses at masked positions. */
export function renderBertView(explanation: BertTaskExplanation): {
  readonly root: HTMLElement;
  updateSamples(state: AppState): void;
} {
  const model = bertViewModel(explanation);
  const predictions = element('div', { 'data-part': 'predictions' });
  const root = element('div', { class: 'view', 'data-view': 'bert' }, [
    element('h3', {}, ['A training pair, as the masker left it']),
    renderLegend([
      { role: 'masked', label: 'replaced by [MASK]', count: model.counts.masked },
      { role: 'random', label: 'replaced by a random token', count: model.counts.random },
      { role: 'kept', label: 'selected, kept', count: model.counts.kept },
      { role: 'untouched', label: 'not selected', count: model.counts.untouched },
      { role: 'special', label: 'special token' },
    ]),
    renderTokenChips(
      model.chips,
      'Tokens of the pair: [CLS] sentence A [SEP] sentence B [SEP]; sentence B is underlined',
      (chip) => ({
        'data-segment': String(chip.segment),
      }),
    ),
    element('p', { 'data-part': 'nsp' }, [
      'Next-sentence label: ',
      element('span', { class: 'label-badge', 'data-label': model.nextSentenceLabel }, [
        model.nextSentenceLabel,
      ]),
      ' ',
      model.nextSentenceText,
    ]),
    predictions,
  ]);
  return {
    root,
    updateSamples(state) {
      const snapshot = state.latestSamples;
      if (!snapshot) return;
      const rows = snapshot.samples.map(maskedPredictionRow);
      predictions.replaceChildren(
        element('h3', {}, [
          `The model's top 3 guesses at the masked positions of held-out pairs (step ${snapshot.step})`,
        ]),
        element('p', { class: 'help' }, [
          'Each box: the label above, the guesses below, best first; a green box means the best guess is right.',
        ]),
        ...rows.map((row, rowIndex) =>
          element(
            'section',
            { class: 'guess-row', 'aria-label': `Held-out pair ${rowIndex + 1}` },
            [
              element('h4', { title: row.input }, [`Pair ${rowIndex + 1}`]),
              element(
                'ol',
                { class: 'guesses', 'data-kind': 'masked-predictions' },
                row.predictions.map((prediction) =>
                  element('li', { class: 'guess', 'data-correct': String(prediction.correct) }, [
                    element('span', { class: 'guess-label' }, [prediction.expected]),
                    element('span', { class: 'guess-top' }, [prediction.guesses.join(' · ')]),
                    element('span', { class: 'visually-hidden' }, [
                      prediction.correct ? ' (best guess right)' : ' (best guess wrong)',
                    ]),
                  ]),
                ),
              ),
            ],
          ),
        ),
      );
    },
  };
}
