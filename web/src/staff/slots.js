// Picking a free time: a practitioner (or any), a day among the next weeks' days that have
// free times, and one of that day's times. Every list comes from the WebAssembly engine
// over one snapshot (engine.js), so changing the day redraws the times at once, with no
// request; the server checks the chosen time again when it is booked.

import { addDays } from '../widget/dates.js';
import { h, uid } from '../widget/dom.js';
import { field } from './form.js';

export const PICKER_DAYS = 42;

/**
 * `availability`: the widget's Availability over the snapshot to ask (for a reschedule, the
 * snapshot without the booking's own occupancy). Options: typeId, practitionerId ('any' or
 * an id), allowAny, preferDate (shown first if it has times), nowMs.
 * Returns {element, selection(): {slot, practitionerId} | null, setType(typeId)}.
 */
export function slotPicker(app, availability, options) {
  const { t, l10n } = app;
  let typeId = options.typeId;
  let practitionerId = options.practitionerId || 'any';
  let date = options.preferDate || '';
  let days = new Map();
  const group = uid('time');

  const practitionerSelect = h('select', { name: 'practitioner_id' });
  const daySelect = h('select', { name: 'date' });
  const times = h('div', { class: 'times', attrs: { role: 'radiogroup', 'aria-labelledby': `${group}-legend` } });
  const timesBox = h(
    'div',
    { class: 'times-box' },
    h('p', { class: 'label', id: `${group}-legend` }, t('freeTimes')),
    times,
  );
  const empty = h('p', { class: 'hint', attrs: { 'aria-live': 'polite' } });
  const element = h(
    'div',
    { class: 'slot-picker' },
    h('div', { class: 'row' }, field(t('practitioner'), practitionerSelect), field(t('day'), daySelect)),
    empty,
    timesBox,
  );

  const fillPractitioners = () => {
    const offering = availability
      .practitionersFor(typeId)
      .filter((p) => app.practitioners().some((q) => q.id === p.id));
    if (practitionerId !== 'any' && !offering.some((p) => p.id === practitionerId))
      practitionerId = options.allowAny ? 'any' : (offering[0] || {}).id;
    practitionerSelect.replaceChildren(
      ...(options.allowAny ? [h('option', { value: 'any' }, t('anyPractitioner'))] : []),
      ...offering.map((p) => h('option', { value: p.id }, p.name || p.id)),
    );
    practitionerSelect.value = practitionerId;
  };

  const compute = () => {
    const nowMs = options.nowMs ? options.nowMs() : Date.now();
    const today = app.today(nowMs);
    const range = availability.bookableRange(typeId, nowMs);
    let end = addDays(today, PICKER_DAYS - 1);
    if (end > range.lastClinicDate) end = range.lastClinicDate;
    days = new Map();
    if (today <= end && typeId && practitionerId) {
      for (const slot of availability.slotsBetween(typeId, practitionerId, today, end, nowMs)) {
        if (!days.has(slot.clinicDate)) days.set(slot.clinicDate, []);
        days.get(slot.clinicDate).push(slot);
      }
    }
    if (!days.has(date)) date = days.keys().next().value || '';
    daySelect.replaceChildren(
      ...[...days].map(([d, list]) =>
        h('option', { value: d }, t('freeOnDay', { date: l10n.shortDate(d), n: list.length })),
      ),
    );
    daySelect.value = date;
    daySelect.disabled = days.size === 0;
    empty.textContent = days.size ? '' : t('noFreeDays', { n: PICKER_DAYS });
    drawTimes();
  };

  const drawTimes = () => {
    const list = days.get(date) || [];
    times.replaceChildren(
      ...list.map((slot, i) => {
        const id = `${group}-${i}`;
        const radio = h('input', { type: 'radio', name: group, id, value: slot.start });
        return h('div', { class: 'time' }, radio, h('label', { attrs: { for: id } }, l10n.wallTime(slot.clinicStart)));
      }),
    );
    timesBox.hidden = list.length === 0;
  };

  practitionerSelect.addEventListener('change', () => {
    practitionerId = practitionerSelect.value;
    compute();
  });
  daySelect.addEventListener('change', () => {
    date = daySelect.value;
    drawTimes();
  });
  fillPractitioners();
  compute();

  return {
    element,
    focus: () => daySelect.focus(),
    selection() {
      const checked = times.querySelector('input:checked');
      if (!checked) return null;
      const slot = (days.get(date) || []).find((s) => s.start === checked.value);
      return slot ? { slot, practitionerId } : null;
    },
    setType(id) {
      typeId = id;
      fillPractitioners();
      compute();
    },
    /** Again over fresh availability (after a refused booking). */
    refresh(next) {
      availability = next;
      compute();
    },
  };
}
