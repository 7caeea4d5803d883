// The settings' live preview: the next weeks' free times of one appointment type, asked of
// the engine over the edited configuration (previewSnapshot), redrawn on every edit before
// anything is saved. Synchronous on purpose: one engine query and a small table, well
// inside a frame (bench/web/staff_bench.mjs measures it).

import { addDays } from '../widget/dates.js';
import { h } from '../widget/dom.js';
import { clinicAvailability, previewSnapshot } from './engine.js';

export const PREVIEW_DAYS = 21;

/** Fills `table` (a tbody) with the preview of `config`; returns the error text or ''. */
export function drawPreview(app, engine, liveSnapshot, config, { typeId, practitionerId }, tbody) {
  const { t, l10n } = app;
  const nowMs = Date.now();
  const today = app.today(nowMs);
  let byDay = new Map();
  try {
    const availability = clinicAvailability(engine, previewSnapshot(config, liveSnapshot));
    for (const slot of availability.slotsBetween(
      typeId,
      practitionerId || 'any',
      today,
      addDays(today, PREVIEW_DAYS - 1),
      nowMs,
    )) {
      if (!byDay.has(slot.clinicDate)) byDay.set(slot.clinicDate, []);
      byDay.get(slot.clinicDate).push(slot);
    }
  } catch (error) {
    tbody.replaceChildren(h('tr', {}, h('td', { colSpan: 2 }, t('previewInvalid', { message: error.message }))));
    return error.message;
  }
  const rows = [];
  for (let i = 0; i < PREVIEW_DAYS; i++) {
    const date = addDays(today, i);
    const slots = byDay.get(date) || [];
    rows.push(
      h(
        'tr',
        { attrs: { 'data-date': date } },
        h('th', { scope: 'row' }, l10n.shortDate(date)),
        h(
          'td',
          {},
          slots.length
            ? t('previewDay', {
                n: slots.length,
                first: l10n.wallTime(slots[0].clinicStart),
                last: l10n.wallTime(slots[slots.length - 1].clinicStart),
              })
            : '—',
        ),
      ),
    );
  }
  tbody.replaceChildren(...rows);
  return '';
}
