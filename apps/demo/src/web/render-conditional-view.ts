import type { ConditionalTaskExplanation } from '../tasks/demo-task';
import type { AppState } from './app-state';
import { compareCompletions, conditionalViewModel, parameterShare } from './conditional-view-model';
import { element } from './dom';
import { renderLegend, renderTokenChips } from './render-token-chips';
import { readableTokens } from './sample-rows';

/** The view's words: the causal LM predicts every next token; LoRA and prefix tuning complete prompts. */
function wording(causal: boolean, scored: number, total: number, completionTokens: number) {
  return causal
    ? {
        heading: 'A training window: every next token is a target',
        context: 'context only (nothing before it)',
        target: 'target, predicted from the tokens before it',
        mask: `Next-token prediction: ${scored} of ${total} tokens are scored (yellow bar), each predicted from the tokens before it; the first token has nothing before it to be predicted from.`,
        samplesHeading: (step: number) =>
          `Held-out text continued greedily, before training and at step ${step}`,
        columns: ['text so far', 'before training', 'the real continuation'],
      }
    : {
        heading: 'A training pair: three nouns, then the same nouns in reverse order',
        context: 'prompt token',
        target: 'completion token',
        mask: `Loss mask: only the ${completionTokens} completion tokens (the reversed nouns and [EOS]) are scored (yellow bar); the prompt's labels are −100, so the model learns to produce the reversal, not to repeat the prompt.`,
        samplesHeading: (step: number) =>
          `Held-out prompts (noun triples never trained on): greedy completions before training and at step ${step}`,
        columns: ['prompt', 'before training', 'expected'],
      };
}

/**
 * The conditional view (the causal LM's windows, LoRA's and prefix tuning's pairs): context or
 * prompt versus scored tokens with the loss mask, trainable versus total parameters, and
 * completions before training and now.
 */
export function renderConditionalView(
  explanation: ConditionalTaskExplanation,
  state: AppState,
): { readonly root: HTMLElement; updateSamples(state: AppState): void } {
  const model = conditionalViewModel(explanation);
  const summary = state.summary;
  const words = wording(
    summary?.objective === 'causal',
    model.scoredTokens,
    model.chips.length,
    model.completionTokens,
  );
  const share = parameterShare({
    trainable: summary?.trainableParameters ?? 0,
    total: summary?.totalParameters ?? 0,
  });
  const completions = element('div', { 'data-part': 'completions' });
  const root = element(
    'div',
    { class: 'view', 'data-view': 'conditional', 'data-objective': summary?.objective },
    [
      element('h3', {}, [words.heading]),
      renderLegend([
        { role: 'prompt', label: words.context, count: model.promptTokens },
        { role: 'completion', label: words.target, count: model.completionTokens },
      ]),
      renderTokenChips(
        model.chips,
        'Tokens of the row; scored tokens carry a yellow bar',
        (chip) => ({
          'data-in-loss': String(chip.inLoss),
        }),
      ),
      element('p', { 'data-part': 'loss-mask' }, [
        words.mask,
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
        element('span', {
          class: 'bar-fill',
          style: `width: ${Math.min(100, share.fraction * 100).toFixed(2)}%`,
        }),
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
      const [promptColumn, beforeColumn, expectedColumn] = words.columns;
      completions.replaceChildren(
        element('h3', {}, [words.samplesHeading(now.step)]),
        element('p', { 'data-part': 'matches' }, [
          `${rows.filter((row) => row.matches).length} of ${rows.length} exactly as expected now (marked in bold).`,
        ]),
        element('div', { class: 'table-wrap' }, [
          element('table', { class: 'samples', 'data-kind': 'completions' }, [
            element('thead', {}, [
              element('tr', {}, [
                element('th', { scope: 'col' }, [promptColumn]),
                element('th', { scope: 'col' }, [beforeColumn]),
                element('th', { scope: 'col' }, [`step ${now.step}`]),
                element('th', { scope: 'col' }, [expectedColumn]),
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
