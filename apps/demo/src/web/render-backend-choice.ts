// The backend control: one option per backend with what runs it, the worker's choice and its
// reason under it, and a warning while a software GPU adapter is selected.
import {
  type BackendChoice,
  type BackendFacts,
  backendLabel,
  softwareAdapterWarning,
} from './backend-choice';
import type { BackendName } from './protocol';

/** The option text: the backend, what runs it, and whether it can be used here. */
function optionText(facts: BackendFacts, picked: boolean): string {
  const label = backendLabel(facts);
  if (!facts.available) return `${label} — not available here`;
  const what = facts.name === 'webgpu' || facts.name === 'webgl' ? ` (${facts.detail})` : '';
  const failed = facts.probe?.passed === false ? ' — failed the probe' : '';
  return `${label}${what}${failed}${picked ? ' — recommended' : ''}`;
}

/** The elements the backend control is drawn into. */
export interface BackendChoiceElements {
  readonly select: HTMLSelectElement;
  /** Under the control: the choice and its reason. */
  readonly help: HTMLElement;
  /** Shown only while a software GPU adapter is selected. */
  readonly warning: HTMLElement;
}

/** Draws `choice` into the control, with `selected` as the current selection. */
export function renderBackendChoice(
  elements: BackendChoiceElements,
  choice: BackendChoice,
  selected: BackendName,
): void {
  for (const option of Array.from(elements.select.options)) {
    const facts = choice.options.find((entry) => entry.name === option.value);
    if (!facts) continue;
    option.disabled = !facts.available;
    option.textContent = optionText(facts, facts.name === choice.picked);
  }
  elements.help.textContent = `${choice.reason} Changing it rebuilds the task.`;
  const warning = softwareAdapterWarning(choice, selected);
  elements.warning.hidden = warning === undefined;
  elements.warning.textContent = warning ?? '';
}
