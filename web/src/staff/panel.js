// A booking's panel, in a modal dialog: the patient and the booking, its notes, its
// history, the status changes the server allows from its status, cancelling with a reason,
// rescheduling to a free time the engine lists (the booking's own occupancy left out of the
// snapshot, so its own time shows free), and sending the confirmation again.

import { h } from '../widget/dom.js';
import { seg } from './api.js';
import { openDialog } from './dialog.js';
import { clinicAvailability, withoutOccupancy } from './engine.js';
import { actionButton, field, notice } from './form.js';
import { canEditBookings } from './roles.js';
import { slotPicker } from './slots.js';

// What PATCH .../status allows from each status (docs/api.md), as the buttons offered.
const NEXT_STATUS = {
  pending: ['confirmed'],
  confirmed: ['completed', 'no_show'],
};
const ACTION_KEY = { confirmed: 'action_confirm', completed: 'action_complete', no_show: 'action_no_show' };

/** The booking as the schedule has it (with occupancy_start/_end), read again. */
export async function loadBooking(app, id) {
  const { appointment } = await app.api.get(`/api/calendar/appointments/${seg(id)}`);
  const day = await app.api.get('/api/v1/schedule', {
    params: {
      clinic_id: app.clinic.id,
      start_date: appointment.date,
      end_date: appointment.date,
      practitioner_id: appointment.practitioner_id,
    },
  });
  return day.appointments.find((a) => a.id === id) || appointment;
}

/** Opens the panel of `appointment` (or of the booking with that id). */
export async function openBooking(app, appointment, { onChange = () => {}, restoreFocus } = {}) {
  const { t, l10n } = app;
  let current = typeof appointment === 'string' ? await loadBooking(app, appointment) : appointment;
  return openDialog({
    title: t('bookingTitle', { number: current.confirmation_number }),
    closeLabel: t('close'),
    className: 'booking-panel',
    restoreFocus,
    build(body) {
      const status = h('div', { class: 'status-line', attrs: { 'aria-live': 'polite' } });
      const say = (kind, text) => status.replaceChildren(notice(kind, text));
      const details = h('div');
      const actions = h('div', { class: 'panel-actions' });
      const extra = h('div', { class: 'panel-extra' });
      const history = h('section', { class: 'history', attrs: { 'aria-labelledby': 'history-title' } });
      body.append(details, status, actions, extra, history);

      const changed = async (kind, text) => {
        current = await loadBooking(app, current.id);
        draw();
        say(kind, text);
        onChange(current);
        loadHistory();
      };
      const failed = (error) => say('error', app.errorText(error));

      const draw = () => {
        const a = current;
        const row = (label, value) => [h('dt', {}, label), h('dd', {}, value || '—')];
        details.replaceChildren(
          h(
            'dl',
            { class: 'details' },
            row(t('patient'), a.patient_name),
            row(t('phone'), a.patient_phone),
            row(t('email'), a.patient_email),
            row(t('type'), a.type || a.appointment_type),
            row(t('practitioner'), a.practitioner_name || app.practitionerName(a.practitioner_id)),
            row(t('when'), `${l10n.dateTime(a.start)}–${l10n.time(a.end)}`),
            row(t('status'), h('span', { class: `pill status-${a.status}` }, t(`status_${a.status}`))),
            row(t('confirmationNumber'), a.confirmation_number),
            row(t('source'), a.source ? t(`source_${a.source}`) : ''),
            a.cancel_reason ? row(t('cancelReason'), a.cancel_reason) : null,
            // The clinic's intake questions, as the patient was asked them.
            ...(a.answers || []).flatMap((answer) => row(answer.label, answer.text)),
          ),
        );
        actions.replaceChildren();
        extra.replaceChildren();
        if (!canEditBookings(app.user)) {
          if (a.notes) extra.append(h('p', {}, `${t('notes')}: ${a.notes}`));
          return;
        }
        for (const next of NEXT_STATUS[a.status] || []) {
          actions.append(
            actionButton(t(ACTION_KEY[next]), () =>
              app.api
                .patch(`/api/calendar/appointments/${seg(a.id)}/status`, { status: next })
                .then(() => changed('success', t('statusChanged', { status: t(`status_${next}`) })), failed),
            ),
          );
        }
        if (a.status === 'pending' || a.status === 'confirmed') {
          actions.append(
            h('button', { type: 'button', class: 'button', onclick: () => showReschedule() }, t('reschedule')),
            h('button', { type: 'button', class: 'button danger', onclick: () => showCancel() }, t('action_cancel')),
          );
        }
        actions.append(
          actionButton(t('resend'), () =>
            app.api.post(`/api/v1/appointments/${seg(a.id)}/resend-confirmation`, {}).then((r) => {
              const channels = (r.channels || []).map((c) => t(`channel_${c}`)).join(', ');
              say(r.queued > 0 ? 'success' : 'warning', r.queued > 0 ? t('resent', { channels }) : t('resentNothing'));
            }, failed),
          ),
        );
        const notes = h('textarea', { name: 'notes', rows: 3, value: a.notes || '' });
        extra.append(
          h(
            'div',
            { class: 'notes' },
            field(t('notes'), notes),
            actionButton(t('saveNotes'), () =>
              app.api
                .patch(`/api/calendar/appointments/${seg(a.id)}`, { notes: notes.value })
                .then(() => changed('success', t('notesSaved')), failed),
            ),
          ),
        );
      };

      const showCancel = () => {
        const reason = h('textarea', { name: 'reason', rows: 2 });
        const box = h(
          'div',
          { class: 'subpanel' },
          field(t('cancelReason'), reason),
          h(
            'div',
            { class: 'actions' },
            actionButton(
              t('cancelConfirm'),
              () =>
                app.api
                  .delete(`/api/calendar/appointments/${seg(current.id)}`, { reason: reason.value })
                  .then(() => changed('success', t('cancelledDone')), failed),
              { className: 'button danger' },
            ),
            h('button', { type: 'button', class: 'button', onclick: () => draw() }, t('keepBooking')),
          ),
        );
        extra.replaceChildren(box);
        reason.focus();
      };

      const showReschedule = async () => {
        extra.replaceChildren(h('p', {}, t('loading')));
        let picker;
        try {
          const { engine, snapshot } = await app.availability();
          const a = current;
          const own = withoutOccupancy(
            snapshot,
            a.practitioner_id,
            a.occupancy_start || a.start,
            a.occupancy_end || a.end,
          );
          picker = slotPicker(app, clinicAvailability(engine, own), {
            typeId: a.appointment_type,
            practitionerId: a.practitioner_id,
            preferDate: a.date,
          });
        } catch (error) {
          extra.replaceChildren(notice('error', t('engineFailed', { message: error.message })));
          return;
        }
        const move = actionButton(
          t('moveHere'),
          async () => {
            const chosen = picker.selection();
            if (!chosen) return say('error', t('pickTime'));
            const body = { date: chosen.slot.clinicDate, time: chosen.slot.clinicStart };
            if (chosen.practitionerId !== 'any') body.practitioner_id = chosen.practitionerId;
            try {
              const r = await app.api.patch(`/api/calendar/appointments/${seg(current.id)}`, body);
              await changed('success', t('moved', { when: l10n.dateTime(r.appointment.start) }));
            } catch (error) {
              say(
                'error',
                error.status === 409
                  ? t('slotGone', { message: error.details || error.message })
                  : app.errorText(error),
              );
            }
          },
          { className: 'button primary' },
        );
        extra.replaceChildren(
          h(
            'section',
            { class: 'subpanel', attrs: { 'aria-labelledby': 'reschedule-title' } },
            h('h3', { id: 'reschedule-title' }, t('rescheduleTitle')),
            picker.element,
            h(
              'div',
              { class: 'actions' },
              move,
              h('button', { type: 'button', class: 'button', onclick: () => draw() }, t('cancel')),
            ),
          ),
        );
        picker.focus();
      };

      const loadHistory = async () => {
        try {
          const { entries } = await app.api.get(`/api/calendar/appointments/${seg(current.id)}/history`);
          history.replaceChildren(
            h('h3', { id: 'history-title' }, t('history')),
            entries.length
              ? h(
                  'ol',
                  {},
                  entries.map((e) =>
                    h(
                      'li',
                      {},
                      t('historyEntry', {
                        at: l10n.dateTime(e.at),
                        action: e.action,
                        actor: e.actor.name || e.actor.type,
                      }),
                    ),
                  ),
                )
              : h('p', {}, t('noHistory')),
          );
        } catch (error) {
          history.replaceChildren(
            h('h3', { id: 'history-title' }, t('history')),
            notice('error', app.errorText(error)),
          );
        }
      };
      draw();
      loadHistory();
    },
  });
}
