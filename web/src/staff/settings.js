// Clinic settings (admins): the clinic, its booking rules, the appointment types and the
// practitioners with their weekly hours, date overrides and closures, edited on a copy
// (the draft). Every edit redraws the preview from the draft (preview.js) and, a moment
// later, asks the server for a dry run (PUT /api/calendar/clinic?dry_run=true): whether
// the engine would take the configuration and which upcoming bookings the new hours leave
// outside working hours. Save sends the whole configuration; the server takes it whole or
// refuses it whole, with the engine's message.

import { h, uid } from '../widget/dom.js';
import { loadEngine } from './engine.js';
import { field, notice, select, setError } from './form.js';
import { formatRanges, parseRanges, WEEKDAYS } from './hours.js';
import { plainName, withPlainName } from './names.js';
import { drawPreview, PREVIEW_DAYS } from './preview.js';

const ORDERED_DAYS = [...WEEKDAYS.slice(1), WEEKDAYS[0]]; // Monday first
const DRY_RUN_DELAY_MS = 300;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "2027-01-20 closed" / "2027-01-20 09:00-12:00, 13:00-15:00" lines <-> overrides. */
function parseOverrides(text) {
  const out = [];
  for (const line of String(text)
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d{4}-\d{2}-\d{2})\s*:?\s*(.*)$/.exec(line);
    if (!m) return null;
    const hours = /^(closed|cerrado|)$/i.test(m[2]) ? [] : parseRanges(m[2]);
    if (!hours) return null;
    out.push({ date: m[1], hours });
  }
  return out;
}
const formatOverrides = (list) =>
  (list || []).map((o) => `${o.date} ${o.hours.length ? formatRanges(o.hours) : 'closed'}`).join('\n');

export async function settingsView(app, main, route, onDispose) {
  const { t } = app;
  main.append(h('h1', {}, t('settingsTitle')));
  await app.reloadConfig();
  const [engine] = await Promise.all([loadEngine(), app.refreshSnapshot()]);
  let draft = structuredClone(app.config);
  let dryTimer = 0;
  let dryTicket = 0;
  onDispose(() => clearTimeout(dryTimer));

  const formHolder = h('div', { class: 'settings-form' });
  const previewType = h('select', { id: 'preview-type' });
  const previewWho = h('select', { id: 'preview-practitioner' });
  const previewBody = h('tbody');
  const verdict = h('div', { class: 'verdict', attrs: { 'aria-live': 'polite' } });
  const saveStatus = h('div', { class: 'status-line', attrs: { 'aria-live': 'polite' } });
  const saveButton = h('button', { type: 'button', class: 'button primary' }, t('saveSettings'));
  const aside = h(
    'aside',
    { class: 'preview card', attrs: { 'aria-labelledby': 'preview-title' } },
    h('h2', { id: 'preview-title' }, t('preview', { n: PREVIEW_DAYS })),
    h(
      'div',
      { class: 'row' },
      h('div', { class: 'field' }, h('label', { attrs: { for: 'preview-type' } }, t('type')), previewType),
      h(
        'div',
        { class: 'field' },
        h('label', { attrs: { for: 'preview-practitioner' } }, t('practitioner')),
        previewWho,
      ),
    ),
    // the warning and Save above the days, so they stay in view in the sticky panel
    verdict,
    h('div', { class: 'save-bar' }, saveButton, saveStatus),
    h(
      'table',
      { class: 'preview-table' },
      h('caption', { class: 'sr-only' }, t('preview', { n: PREVIEW_DAYS })),
      previewBody,
    ),
  );
  main.append(h('div', { class: 'settings' }, formHolder, aside));

  const fillPreviewChoices = () => {
    const keepType = previewType.value;
    const keepWho = previewWho.value;
    previewType.replaceChildren(
      ...draft.appointment_types.map((x) => h('option', { value: x.id }, plainName(x.name) || x.id)),
    );
    if (draft.appointment_types.some((x) => x.id === keepType)) previewType.value = keepType;
    previewWho.replaceChildren(
      h('option', { value: 'any' }, t('anyPractitioner')),
      ...draft.practitioners.map((p) => h('option', { value: p.id }, plainName(p.name) || p.id)),
    );
    if (draft.practitioners.some((p) => p.id === keepWho)) previewWho.value = keepWho;
  };
  const refreshPreview = () =>
    drawPreview(
      app,
      engine,
      app.snapshot,
      draft,
      { typeId: previewType.value, practitionerId: previewWho.value },
      previewBody,
    );
  previewType.addEventListener('change', refreshPreview);
  previewWho.addEventListener('change', refreshPreview);

  const dryRun = () => {
    clearTimeout(dryTimer);
    dryTimer = setTimeout(async () => {
      const ticket = ++dryTicket;
      try {
        const r = await app.api.put('/api/calendar/clinic', draft, {
          params: { dry_run: 'true', clinic_id: app.clinic.id },
        });
        if (ticket !== dryTicket) return;
        if (!r.valid)
          return verdict.replaceChildren(notice('error', t('configInvalid', { message: r.details || r.code })));
        const outside = r.outside_hours || [];
        verdict.replaceChildren(
          outside.length
            ? h(
                'div',
                { class: 'notice warning outside-hours', attrs: { role: 'status' } },
                h('p', {}, t('outsideHoursTitle')),
                h(
                  'ul',
                  {},
                  outside.map((a) =>
                    h(
                      'li',
                      {},
                      `${app.l10n.dateTime(a.start)} · ${a.patient_name} · ${a.practitioner_name} · ${a.confirmation_number}`,
                    ),
                  ),
                ),
              )
            : notice('info', t('outsideHoursNone')),
        );
      } catch (error) {
        if (ticket === dryTicket) verdict.replaceChildren(notice('error', app.errorText(error)));
      }
    }, DRY_RUN_DELAY_MS);
  };

  const changed = () => {
    saveStatus.replaceChildren(notice('info', t('unsavedChanges')));
    refreshPreview();
    dryRun();
  };
  const structural = () => {
    drawForm();
    fillPreviewChoices();
    changed();
  };

  // An input bound to draft[...]: `read(text)` returns the value or throws a message.
  const bound = (label, value, write, { type = 'text', read = (s) => s, rows, readOnly, hint } = {}) => {
    const control = rows
      ? h('textarea', { rows, value: value ?? '', id: uid('s') })
      : h('input', { type, value: value ?? '', id: uid('s'), readOnly });
    control.name = control.id;
    control.addEventListener('input', () => {
      let parsed;
      try {
        parsed = read(control.value);
      } catch (message) {
        setError(control, String(message));
        return;
      }
      setError(control, '');
      write(parsed);
      changed();
    });
    return field(label, control, { hint });
  };
  const number = (required) => (text) => {
    const s = text.trim();
    if (!s && !required) return undefined;
    if (!/^\d+$/.test(s)) throw t('badNumber');
    return Number(s);
  };
  const setOrDelete = (obj, key) => (v) => {
    if (v === undefined) delete obj[key];
    else obj[key] = v;
  };

  function drawForm() {
    const c = draft.clinic;
    draft.rules = draft.rules || {};
    const types = draft.appointment_types.map((type, i) =>
      h(
        'fieldset',
        { class: 'card' },
        h('legend', {}, plainName(type.name) || type.id),
        h(
          'div',
          { class: 'grid-fields' },
          bound(t('typeId'), type.id, (v) => (type.id = v), { readOnly: i < app.config.appointment_types.length }),
          bound(t('typeName'), plainName(type.name), (v) => (type.name = withPlainName(type.name, v))),
          bound(t('duration'), type.duration_minutes, (v) => (type.duration_minutes = v), {
            type: 'number',
            read: number(true),
          }),
          bound(t('bufferBefore'), type.buffer_before_minutes, setOrDelete(type, 'buffer_before_minutes'), {
            type: 'number',
            read: number(false),
          }),
          bound(t('bufferAfter'), type.buffer_after_minutes, setOrDelete(type, 'buffer_after_minutes'), {
            type: 'number',
            read: number(false),
          }),
          bound(t('step'), type.slot_step_minutes, setOrDelete(type, 'slot_step_minutes'), {
            type: 'number',
            read: number(false),
          }),
          bound(t('typeNotice'), type.min_notice_minutes, setOrDelete(type, 'min_notice_minutes'), {
            type: 'number',
            read: number(false),
          }),
          bound(t('typeHorizon'), type.max_advance_days, setOrDelete(type, 'max_advance_days'), {
            type: 'number',
            read: number(false),
          }),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button danger',
            onclick: () => {
              draft.appointment_types.splice(i, 1);
              for (const p of draft.practitioners)
                p.appointment_types = (p.appointment_types || []).filter((x) => x !== type.id);
              structural();
            },
          },
          t('removeType', { name: plainName(type.name) || type.id }),
        ),
      ),
    );
    const practitioners = draft.practitioners.map((p, i) => {
      p.weekly_hours = p.weekly_hours || {};
      const offers = draft.appointment_types.map((type) => {
        const box = h('input', {
          type: 'checkbox',
          checked: (p.appointment_types || []).includes(type.id),
          id: uid('s'),
        });
        box.addEventListener('change', () => {
          const set = new Set(p.appointment_types || []);
          if (box.checked) set.add(type.id);
          else set.delete(type.id);
          p.appointment_types = draft.appointment_types.map((x) => x.id).filter((id) => set.has(id));
          changed();
        });
        return field(plainName(type.name) || type.id, box);
      });
      return h(
        'fieldset',
        { class: 'card practitioner', attrs: { 'data-practitioner': p.id } },
        h('legend', {}, plainName(p.name) || p.id),
        h(
          'div',
          { class: 'grid-fields' },
          bound(t('typeId'), p.id, (v) => (p.id = v), { readOnly: i < app.config.practitioners.length }),
          bound(t('practitionerName'), plainName(p.name), (v) => (p.name = withPlainName(p.name, v))),
        ),
        h('fieldset', { class: 'offers' }, h('legend', {}, t('offers')), offers),
        h(
          'fieldset',
          { class: 'weekly' },
          h('legend', {}, t('weeklyHours')),
          h(
            'div',
            { class: 'grid-fields' },
            ORDERED_DAYS.map((day) =>
              bound(
                t(`weekday_${day}`),
                formatRanges(p.weekly_hours[day]),
                (v) => {
                  if (v.length) p.weekly_hours[day] = v;
                  else delete p.weekly_hours[day];
                },
                {
                  read: (s) => {
                    const r = parseRanges(s);
                    if (!r) throw t('badRanges');
                    return r;
                  },
                },
              ),
            ),
          ),
        ),
        bound(t('overrides'), formatOverrides(p.overrides), setOrDelete(p, 'overrides'), {
          rows: 3,
          read: (s) => {
            const r = parseOverrides(s);
            if (!r) throw t('badOverrides');
            return r.length ? r : undefined;
          },
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'button danger',
            onclick: () => {
              draft.practitioners.splice(i, 1);
              structural();
            },
          },
          t('removePractitioner', { name: plainName(p.name) || p.id }),
        ),
      );
    });
    formHolder.replaceChildren(
      h(
        'section',
        { attrs: { 'aria-labelledby': 'clinic-title' } },
        h('h2', { id: 'clinic-title' }, t('clinicDetails')),
        h(
          'div',
          { class: 'card' },
          bound(t('clinicName'), c.name, (v) => (c.name = v)),
          bound(t('timezone'), c.timezone, (v) => (c.timezone = v)),
          bound(t('closedDates'), (c.closed_dates || []).join('\n'), (v) => (c.closed_dates = v), {
            rows: 3,
            read: (s) => {
              const dates = s.split(/[\s,]+/).filter(Boolean);
              if (!dates.every((d) => DATE.test(d))) throw t('badDates');
              return dates;
            },
          }),
        ),
        h('h2', {}, t('rules')),
        h(
          'div',
          { class: 'card grid-fields' },
          bound(t('minNotice'), draft.rules.min_notice_minutes, setOrDelete(draft.rules, 'min_notice_minutes'), {
            type: 'number',
            read: number(false),
          }),
          bound(t('maxAdvance'), draft.rules.max_advance_days, setOrDelete(draft.rules, 'max_advance_days'), {
            type: 'number',
            read: number(false),
          }),
        ),
      ),
      h(
        'section',
        { attrs: { 'aria-labelledby': 'types-title' } },
        h('h2', { id: 'types-title' }, t('appointmentTypes')),
        types,
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            onclick: () => {
              draft.appointment_types.push({
                id: `type-${draft.appointment_types.length + 1}`,
                name: '',
                duration_minutes: 30,
              });
              structural();
            },
          },
          t('addType'),
        ),
      ),
      h(
        'section',
        { attrs: { 'aria-labelledby': 'practitioners-title' } },
        h('h2', { id: 'practitioners-title' }, t('practitioners')),
        practitioners,
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            onclick: () => {
              draft.practitioners.push({
                id: `practitioner-${draft.practitioners.length + 1}`,
                name: '',
                appointment_types: [],
                weekly_hours: {},
              });
              structural();
            },
          },
          t('addPractitioner'),
        ),
      ),
    );
  }

  saveButton.addEventListener('click', async () => {
    saveButton.disabled = true;
    saveButton.textContent = t('saving');
    try {
      await app.api.put('/api/calendar/clinic', draft, { params: { clinic_id: app.clinic.id } });
      await app.reloadConfig();
      app.snapshotTag = '';
      await app.refreshSnapshot();
      draft = structuredClone(app.config);
      drawForm();
      fillPreviewChoices();
      refreshPreview();
      saveStatus.replaceChildren(notice('success', t('settingsSaved')));
    } catch (error) {
      saveStatus.replaceChildren(notice('error', t('settingsRefused', { message: error.details || error.message })));
    } finally {
      saveButton.disabled = false;
      saveButton.textContent = t('saveSettings');
    }
  });

  drawForm();
  fillPreviewChoices();
  refreshPreview();
}
