// A booking for a patient on the phone: the type, a practitioner or any, a free time the
// engine lists, the patient's details. The server validates again (POST
// /api/calendar/appointments); its field errors appear next to the fields they name, and a
// time taken meanwhile redraws the free times from a fresh snapshot.

import { h } from '../widget/dom.js';
import { clearErrors, field, notice, select, showFieldErrors } from './form.js';
import { plainName } from './names.js';
import { openBooking } from './panel.js';
import { slotPicker } from './slots.js';

export async function newBookingView(app, main) {
  const { t, l10n } = app;
  main.append(h('h1', {}, t('newTitle')));
  let { availability } = await app.availability();
  const types = availability.appointmentTypes();
  const typeSelect = select(
    'appointment_type',
    types.map((x) => [x.id, `${plainName(x.name) || x.id} (${x.duration_minutes} min)`]),
    types[0] && types[0].id,
  );
  const picker = slotPicker(app, availability, { typeId: typeSelect.value, practitionerId: 'any', allowAny: true });
  typeSelect.addEventListener('change', () => picker.setType(typeSelect.value));
  const text = (name, type, autocomplete) => h('input', { name, type, attrs: { autocomplete } });
  const name = text('patient_name', 'text', 'off');
  const phone = text('patient_phone', 'tel', 'off');
  const email = text('patient_email', 'email', 'off');
  const sms = h('input', { type: 'checkbox', name: 'sms_opt_in' });
  const notes = h('textarea', { name: 'notes', rows: 2 });
  const timeError = h('input', { type: 'hidden', name: 'time' }); // where a `time` error is shown
  const status = h('div', { class: 'status-line', attrs: { 'aria-live': 'polite' } });
  const submit = h('button', { type: 'submit', class: 'button primary' }, t('bookIt'));
  const form = h(
    'form',
    { class: 'card new-booking', noValidate: true },
    field(t('type'), typeSelect),
    picker.element,
    h('p', { class: 'field-error', id: 'slot-error', attrs: { 'aria-live': 'polite' } }),
    h(
      'fieldset',
      {},
      h('legend', {}, t('patient')),
      field(t('patientName'), name),
      h('div', { class: 'row' }, field(t('patientPhone'), phone), field(t('patientEmail'), email)),
      field(t('smsConsent'), sms),
      field(t('notes'), notes),
    ),
    timeError,
    submit,
    status,
  );
  main.append(form);
  const slotError = form.querySelector('#slot-error');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    slotError.textContent = '';
    status.replaceChildren();
    const chosen = picker.selection();
    if (!chosen) {
      slotError.textContent = t('pickTime');
      return;
    }
    submit.disabled = true;
    try {
      const r = await app.api.post('/api/calendar/appointments', {
        clinic_id: app.clinic.id,
        appointment_type: typeSelect.value,
        practitioner_id: chosen.practitionerId,
        date: chosen.slot.clinicDate,
        time: chosen.slot.clinicStart,
        patient_name: name.value.trim(),
        patient_phone: phone.value.trim() || undefined,
        patient_email: email.value.trim() || undefined,
        sms_opt_in: sms.checked,
        notes: notes.value || undefined,
      });
      const when = l10n.dateTime(chosen.slot.start);
      const open = h(
        'button',
        { type: 'button', class: 'button', onclick: () => openBooking(app, r.appointment_id) },
        t('openBooking'),
      );
      status.replaceChildren(
        notice(
          'success',
          t('booked', { number: r.confirmation_number, when, practitioner: app.practitionerName(r.practitioner_id) }),
          ' ',
          open,
        ),
      );
      for (const input of [name, phone, email, notes]) input.value = '';
      sms.checked = false;
      picker.refresh((await app.availability()).availability);
    } catch (error) {
      if (error.code === 'validation_failed') {
        const rest = showFieldErrors(form, error.fields);
        status.replaceChildren(notice('error', [t('fixFields'), ...rest].join(' ')));
        if (error.fields.time || error.fields.date) slotError.textContent = error.fields.time || error.fields.date;
      } else if (error.status === 409) {
        slotError.textContent = t('slotGone', { message: error.details || error.message });
        availability = (await app.availability()).availability;
        picker.refresh(availability);
      } else status.replaceChildren(notice('error', app.errorText(error)));
    } finally {
      submit.disabled = false;
    }
  });
}
