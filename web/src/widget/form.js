// The patient's details, validated in place: a field is checked when the patient leaves it
// and re-checked as they type once it has shown an error; on submit the first wrong
// field takes focus. Messages are tied to their inputs with aria-describedby. Under the
// phone, the patient's consent to text messages: unticked unless they tick it, and with
// it ticked the phone is asked for in those words (the server texts only that number).
// After it, the clinic's questions for the appointment type (questions.js), wired the same.

import { h, inputValue, uid } from './dom.js';
import { checkAnswer, questionInput, questionLabel } from './questions.js';

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

/**
 * The server reports field errors by path ("patient.email"); map them to our names. A
 * question's field is named by its path already ("answers.dob").
 */
const SERVER_FIELD = { 'patient.name': 'name', 'patient.email': 'email', 'patient.phone': 'phone' };

export class PatientForm {
  /**
   * values: the initial {name, email, phone, notes, smsOptIn, answers: {question id: value}};
   * onSubmit(values) when all are valid; `footnote`: a line under the submit button (the
   * change policy); `questions`: the clinic's questions to ask, `zone`: the clinic's.
   */
  constructor({ l10n, values, onSubmit, submitLabel, footnote = '', questions = [], zone }) {
    this.t = l10n.t;
    this.fields = new Map();
    this.answers = values.answers || {};
    const rows = FIELDS.map((field) => this.row(field, values[field.name] || ''));
    rows.splice(
      FIELDS.findIndex((field) => field.name === 'phone') + 1,
      0,
      this.smsRow(values.smsOptIn === true),
      questions.map((q) => this.questionRow(q, l10n, zone)),
    );
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
    const error = this.wire(name, input, () => check(name, input.value, this.t, this.smsOptIn.checked));
    return h('div', { class: 'field' }, h('label', { htmlFor: id, part: 'label' }, this.t(name)), input, error);
  }

  questionRow(q, l10n, zone) {
    const id = uid('question');
    const input = questionInput(q, this.answers[q.id], id, l10n, zone);
    const error = this.wire(`answers.${q.id}`, input, () => checkAnswer(q, input, this.t, zone));
    const label = h('label', { htmlFor: id, part: 'label' }, questionLabel(q, l10n));
    return q.type === 'checkbox'
      ? h('div', { class: 'consent' }, input, label, error)
      : h('div', { class: 'field' }, label, input, error);
  }

  /**
   * Makes `input` the field `key` checked by `check()` (its message, '' when fine): the
   * message under it, tied with aria-describedby; checked when the patient leaves it filled
   * in, and again as they change it once it has shown an error. Returns the message element.
   */
  wire(key, input, check) {
    const error = h('p', { class: 'field-error', id: `${input.id}-error`, part: 'field-error' });
    input.setAttribute('aria-describedby', error.id);
    const field = { input, error, check, shown: false };
    input.addEventListener('blur', () => (inputValue(input) || field.shown) && this.show(key, check()));
    input.addEventListener('input', () => field.shown && this.show(key, check()));
    this.fields.set(key, field);
    return error;
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
    return this.fields.get(name).check();
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

  /** What the patient gave; `answers` keeps those to questions of other types too. */
  values() {
    const out = { answers: { ...this.answers }, smsOptIn: this.smsOptIn.checked };
    for (const [name, { input }] of this.fields) {
      if (name.startsWith('answers.')) out.answers[name.slice(8)] = inputValue(input);
      else out[name] = inputValue(input);
    }
    return out;
  }

  /** Checks every field; focuses the first wrong one. True when all are fine. */
  validate() {
    let first = null;
    for (const [name, { input, check }] of this.fields) {
      const message = check();
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
      const name = SERVER_FIELD[path] || path;
      if (!this.fields.has(name)) continue;
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
