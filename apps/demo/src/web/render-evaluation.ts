import type { AppState } from './app-state';
import { element } from './dom';
import { evaluationViewModel } from './evaluation-view-model';

/**
 * The held-out panel: where the model started, its held-out numbers before training and now next
 * to the baselines, and the demo's goals with a pass or not-yet mark (in words, not only colour).
 * Empty until a task has loaded.
 */
export function renderEvaluation(container: HTMLElement, state: AppState): void {
  const summary = state.summary;
  const before = state.initialSamples;
  const now = state.latestSamples;
  if (!summary || !before || !now) {
    container.replaceChildren(
      element('p', { class: 'help' }, ['The held-out numbers appear once the task is built.']),
    );
    return;
  }
  const model = evaluationViewModel(summary, before.evaluation, now.evaluation, now.step);
  container.replaceChildren(
    element('p', { 'data-part': 'start' }, [`Starts ${model.start}. ${model.caption}`]),
    element('div', { class: 'table-wrap' }, [
      element('table', { class: 'evaluation', 'data-kind': 'evaluation' }, [
        element('thead', {}, [
          element('tr', {}, [
            element('th', { scope: 'col' }, ['held-out']),
            element('th', { scope: 'col' }, ['before training']),
            element('th', { scope: 'col' }, [`step ${model.step}`]),
            element('th', { scope: 'col' }, ['baseline or goal']),
          ]),
        ]),
        element(
          'tbody',
          {},
          model.rows.map((row) =>
            element('tr', {}, [
              element('th', { scope: 'row' }, [row.label]),
              element('td', {}, [row.before]),
              element('td', { 'data-now': '' }, [row.now]),
              element('td', {}, [row.reference]),
            ]),
          ),
        ),
      ]),
    ]),
    element(
      'ul',
      { class: 'goals', 'aria-label': 'Goals of the demo' },
      model.goals.map((goal) =>
        element('li', { 'data-passed': String(goal.passed) }, [
          element('span', { class: 'goal-mark' }, [goal.passed ? 'met' : 'not yet']),
          ` ${goal.name}: ${goal.detail}`,
        ]),
      ),
    ),
  );
}
