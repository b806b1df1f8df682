import type { ConditionalTaskExplanation } from '../tasks/demo-task';
import type { AppState } from './app-state';
import { compareCompletions, conditionalViewModel, parameterShare } from './conditional-view-model';
import { element } from './dom';
import { renderLegend, renderTokenChips } from './render-token-chips';
import { readableTokens } from './sample-rows';

/**
 * The conditional view (LoRA, prefix tuning, and the causal LM's rows): prompt versus completion
 * tokens with the loss mask, trainable versus total parameters, and completions before training
 * and now.
 */
export function renderConditionalView(
  explanation: ConditionalTaskExplanation,
  state: AppState,
): { readonly root: HTMLElement; updateSamples(state: AppState): void } {
  const model = conditionalViewModel(explanation);
  const summary = state.summary;
  const share = parameterShare({
    trainable: summary?.trainableParameters ?? 0,
    total: summary?.totalParameters ?? 0,
  });
  const completions = element('div', { 'data-part': 'completions' });
  const root = element(
    'div',
    { class: 'view', 'data-view': 'conditional', 'data-objective': summary?.objective },
    [
      element('h3', {}, ['A training row: prompt, completion and the loss mask']),
      renderLegend([
        { role: 'prompt', label: 'prompt token', count: model.promptTokens },
        { role: 'completion', label: 'completion token', count: model.completionTokens },
      ]),
      renderTokenChips(
        model.chips,
        'Tokens of the row; scored tokens carry a yellow bar',
        (chip) => ({
          'data-in-loss': String(chip.inLoss),
        }),
      ),
      element('p', { 'data-part': 'loss-mask' }, [
        `Loss mask: ${model.scoredTokens} of ${model.chips.length} tokens are scored (yellow bar); the prompt's labels are −100, so the model learns to complete, not to repeat the prompt.`,
        model.virtualTokens > 0
          ? ` Every query also attends to ${model.virtualTokens} trained virtual prefix positions.`
          : '',
      ]),
      element('h3', {}, ['Trainable versus total parameters']),
      element(
        'p',
        {
          'data-part': 'parameters',
          'data-trainable': summary?.trainableParameters,
          'data-total': summary?.totalParameters,
        },
        [share.text],
      ),
      element('div', { class: 'bar', role: 'img', 'aria-label': share.text }, [
        element('span', { style: `width: ${Math.min(100, share.fraction * 100).toFixed(2)}%` }),
      ]),
      completions,
    ],
  );
  return {
    root,
    updateSamples(current) {
      const before = current.initialSamples?.samples ?? [];
      const now = current.latestSamples;
      if (!now) return;
      const rows = compareCompletions(before, now.samples);
      completions.replaceChildren(
        element('h3', {}, [`Completions before training and at step ${now.step}`]),
        element('div', { class: 'table-scroll' }, [
          element('table', { class: 'samples', 'data-kind': 'completions' }, [
            element('thead', {}, [
              element('tr', {}, [
                element('th', { scope: 'col' }, ['prompt']),
                element('th', { scope: 'col' }, ['before training']),
                element('th', { scope: 'col' }, [`step ${now.step}`]),
                element('th', { scope: 'col' }, ['expected']),
              ]),
            ]),
            element(
              'tbody',
              {},
              rows.map((row) =>
                element('tr', { 'data-matches': String(row.matches) }, [
                  element('td', {}, [readableTokens(row.prompt)]),
                  element('td', {}, [readableTokens(row.before)]),
                  element('td', { class: row.matches ? 'match' : undefined }, [
                    readableTokens(row.now),
                  ]),
                  element('td', {}, [readableTokens(row.expected)]),
                ]),
              ),
            ),
          ]),
        ]),
      );
    },
  };
}
