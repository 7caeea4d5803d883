// Times as a labelled radio group of native radios: the browser supplies the arrow-key
// behaviour and the announcements, styling turns each label into a button-like chip.

import { h, uid } from './dom.js';

/**
 * slots: the choices; labelFor(slot): the visible text; selectedStart: start_utc of the
 * checked one; onSelect(slot). `labelledBy` is the id of the group's visible heading.
 */
export function timeRadioGroup({ slots, labelFor, selectedStart, onSelect, labelledBy, part = 'times' }) {
  const name = uid('time');
  const group = h('div', { class: 'times', part, attrs: { role: 'radiogroup', 'aria-labelledby': labelledBy } });
  for (const slot of slots) {
    const input = h('input', {
      type: 'radio',
      name,
      value: slot.start,
      checked: slot.start === selectedStart,
      onchange: () => input.checked && onSelect(slot),
    });
    group.append(h('label', { class: 'time', part: 'time' }, input, h('span', {}, labelFor(slot))));
  }
  return group;
}

/** Focuses the checked radio of a group, or its first. */
export function focusRadioGroup(group) {
  const target = group.querySelector('input:checked') || group.querySelector('input');
  if (target) target.focus();
}
