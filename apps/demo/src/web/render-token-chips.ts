import { element } from './dom';
import { cssName, type TokenColorRole } from './palette';
import type { TokenChip } from './token-chip';

/**
 * A list of token chips. Each chip's colour role is a `data-role` attribute (styled from the
 * palette); its meaning is also in the chip's text for screen readers, since colour alone must
 * not carry information.
 */
export function renderTokenChips<Chip extends TokenChip>(
  chips: readonly Chip[],
  label: string,
  extraAttributes: (chip: Chip) => Record<string, string> = () => ({}),
): HTMLOListElement {
  return element(
    'ol',
    { class: 'tokens', 'aria-label': label },
    chips.map((chip) =>
      element(
        'li',
        {
          class: 'token',
          'data-role': cssName(chip.role),
          title: chip.description,
          ...extraAttributes(chip),
        },
        [chip.text, element('span', { class: 'visually-hidden' }, [` (${chip.description})`])],
      ),
    ),
  );
}

/** A legend: one sample chip per role with its meaning and an optional count. */
export function renderLegend(
  entries: readonly {
    readonly role: TokenColorRole;
    readonly label: string;
    readonly count?: number;
  }[],
): HTMLUListElement {
  return element(
    'ul',
    { class: 'legend' },
    entries.map((entry) =>
      element('li', {}, [
        element(
          'span',
          { class: 'token', 'data-role': cssName(entry.role), 'aria-hidden': 'true' },
          ['Aa'],
        ),
        entry.count === undefined ? entry.label : `${entry.label}: ${entry.count}`,
      ]),
    ),
  );
}
