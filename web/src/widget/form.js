// The patient's details, validated in place: a field is checked when the patient leaves it
// and re-checked as they type once it has shown an error; on submit the first wrong
// field takes focus. Messages are tied to their inputs with aria-describedby. Under the
// phone, the patient's consent to text messages: unticked unless they tick it, and with
// it ticked the phone is asked for in those words (the server texts only that number).

import { h, uid } from './dom.js';

const MAX_TEXT = 255; // the server's string cap
const MAX_NOTES = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The message for field `name` holding `value` ('' when fine); `smsOptIn`: texts asked for. */
function check(name, value, t, smsOptIn) {
  const v = value.trim();
  if (name === 'notes') return v.length > MAX_NOTES ? t('tooLong', { n: MAX_NOTES }) : '';
  if (!v && name === 'phone' && smsOptIn) return t('phoneForSms');
  if (!v) return t('required', { field: t(name).toLowerCase() });
  if (v.length > MAX_TEXT) return t('tooLong', { n: MAX_TEXT });
  if (name === 'email' && !EMAIL.test(v)) return t('badEmail');
  if (name === 'phone' && (!/^[+()\d\s.\-]+$/.test(v) || v.replace(/\D/g, '').length < 7)) return t('badPhone');
  return '';
}

const FIELDS = [
  { name: 'name', type: 'text', autocomplete: 'name' },
  { name: 'email', type: 'email', autocomplete: 'email', inputMode: 'email' },
  { name: 'phone', type: 'tel', autocomplete: 'tel', inputMode: 'tel' },
  { name: 'notes', multiline: true },
];

/** The server reports field errors by path ("patient.email"); map them to our names. */
const SERVER_FIELD = { 'patient.name': 'name', 'patient.email': 'email', 'patient.phone': 'phone', notes: 'notes' };

export class PatientForm {
  /**
   * values: the initial {name, email, phone, notes, smsOptIn}; onSubmit(values) when all are
   * valid; `footnote`: a line under the submit button (the change policy).
   */
  constructor({ l10n, values, onSubmit, submitLabel, footnote = '' }) {
    this.t = l10n.t;
    this.fields = new Map();
    const rows = FIELDS.map((field) => this.row(field, values[field.name] || ''));
    rows.splice(FIELDS.findIndex((field) => field.name === 'phone') + 1, 0, this.smsRow(values.smsOptIn === true));
    this.submit = h('button', { type: 'submit', class: 'primary', part: 'button primary confirm' }, submitLabel);
    this.element = h(
      'form',
      {
        class: 'patient-form',
        part: 'form',
        noValidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          if (!this.busy && this.validate()) onSubmit(this.values());
        },
      },
      rows,
      h('div', { class: 'actions' }, this.submit),
      footnote && h('p', { class: 'hint', part: 'change-policy' }, footnote),
    );
  }

  row({ name, type, autocomplete, inputMode, multiline }, value) {
    const id = uid(name);
    const errorId = `${id}-error`;
    const input = multiline
      ? h('textarea', { id, name, rows: 3, value, maxLength: MAX_NOTES, part: 'input' })
      : h('input', {
          id,
          name,
          type,
          value,
          autocomplete,
          inputMode,
          maxLength: MAX_TEXT,
          part: 'input',
          attrs: { 'aria-required': 'true' },
        });
    input.setAttribute('aria-describedby', errorId);
    const error = h('p', { class: 'field-error', id: errorId, part: 'field-error' });
    const field = { input, error, shown: false };
    input.addEventListener('blur', () => {
      if (input.value.trim() || field.shown) this.show(name, this.checkField(name));
    });
    input.addEventListener('input', () => field.shown && this.show(name, this.checkField(name)));
    this.fields.set(name, field);
    return h('div', { class: 'field' }, h('label', { htmlFor: id, part: 'label' }, this.t(name)), input, error);
  }

  /** The consent checkbox; a phone error already shown is reworded when it changes. */
  smsRow(checked) {
    const id = uid('sms');
    const hintId = `${id}-hint`;
    this.smsOptIn = h('input', {
      id,
      name: 'sms_opt_in',
      type: 'checkbox',
      checked,
      part: 'checkbox',
      attrs: { 'aria-describedby': hintId },
      onchange: () => this.fields.get('phone').shown && this.show('phone', this.checkField('phone')),
    });
    return h(
      'div',
      { class: 'consent' },
      this.smsOptIn,
      h('label', { htmlFor: id, part: 'label' }, this.t('smsOptIn')),
      h('p', { class: 'hint', id: hintId }, this.t('smsRates')),
    );
  }

  checkField(name) {
    return check(name, this.fields.get(name).input.value, this.t, this.smsOptIn.checked);
  }

  show(name, message) {
    const field = this.fields.get(name);
    field.shown = Boolean(message);
    field.error.textContent = message;
    if (message) field.input.setAttribute('aria-invalid', 'true');
    else field.input.removeAttribute('aria-invalid');
  }

  /** Sets a field's value unless the patient typed their own (anything but `previous`). */
  prefill(name, value, previous) {
    const { input } = this.fields.get(name);
    if (!input.value.trim() || input.value.trim() === previous) input.value = value;
  }

  values() {
    const out = {};
    for (const [name, { input }] of this.fields) out[name] = input.value.trim();
    out.smsOptIn = this.smsOptIn.checked;
    return out;
  }

  /** Checks every field; focuses the first wrong one. True when all are fine. */
  validate() {
    let first = null;
    for (const [name, { input }] of this.fields) {
      const message = this.checkField(name);
      this.show(name, message);
      if (message && !first) first = input;
    }
    if (first) first.focus();
    return !first;
  }

  /** Field errors from a 422; true when at least one could be shown at its field. */
  showServerErrors(fields = {}) {
    let first = null;
    for (const [path, message] of Object.entries(fields)) {
      const name = SERVER_FIELD[path];
      if (!name) continue;
      this.show(name, message);
      if (!first) first = this.fields.get(name).input;
    }
    if (first) first.focus();
    return Boolean(first);
  }

  setBusy(busy, label) {
    this.busy = busy;
    this.submit.setAttribute('aria-disabled', busy ? 'true' : 'false');
    this.submit.textContent = label;
  }
}
