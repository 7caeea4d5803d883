// The clinic's questions (docs/widget.md, "Questions"): those asked for an appointment type,
// each as an input of the patient form with its own check, the answers as the booking sends
// them, and a booking's answers (worded by the server in the patient's language) as a list.
// Answers are the patient's data: they go only into the booking's body.

import { dateInZone } from './dates.js';
import { h, inputValue } from './dom.js';
import { localText } from './text.js';

/** The questions of the clinic snapshot `data` asked for appointment type `typeId`. */
export const questionsFor = (data, typeId) =>
  (data.questions || []).filter((q) => !q.appointment_types || q.appointment_types.includes(typeId));

const maxLength = (q) => q.max_length || (q.type === 'textarea' ? 2000 : 500);

/** The label of question `q`; an optional one says so. */
export const questionLabel = (q, l10n) => localText(q.label, l10n) + (q.required ? '' : ` (${l10n.t('optional')})`);

/** The input of question `q` (id `id`) showing `value`; `zone` says which day is today. */
export function questionInput(q, value, id, l10n, zone) {
  const props = { id, name: `answers.${q.id}`, part: 'input', attrs: { 'aria-required': q.required && 'true' } };
  if (q.type === 'checkbox')
    return h('input', { ...props, type: 'checkbox', checked: value === true, part: 'checkbox' });
  if (q.type === 'select') {
    const options = (q.options || []).map((o) =>
      h('option', { value: o.value, selected: o.value === value }, localText(o.label, l10n)),
    );
    return h('select', { ...props, part: 'select' }, h('option', { value: '' }, l10n.t('choose')), options);
  }
  value = typeof value === 'string' ? value : '';
  if (q.type === 'textarea') return h('textarea', { ...props, rows: 3, value, maxLength: maxLength(q) });
  if (q.type === 'date')
    return h('input', { ...props, type: 'date', value, max: q.past_only && dateInZone(Date.now(), zone) });
  return h('input', { ...props, type: 'text', value, maxLength: maxLength(q) });
}

/** The message for question `q` answered in `input` ('' when fine), worded by `t`. */
export function checkAnswer(q, input, t, zone) {
  const value = inputValue(input);
  if (input.validity.badInput) return t('badDate'); // a date typed only in part
  if (!value) {
    if (!q.required) return '';
    return t(q.type === 'checkbox' ? 'tickRequired' : q.type === 'select' ? 'chooseRequired' : 'answerRequired');
  }
  if (q.type === 'date' && q.past_only && value > dateInZone(Date.now(), zone)) return t('futureDate');
  return value.length > maxLength(q) ? t('tooLong', { n: maxLength(q) }) : '';
}

/** The booking's `answers` to `questions` from the form's answers by id; empty ones left out. */
export function answersFor(questions, answers = {}) {
  const out = {};
  for (const q of questions) if (answers[q.id]) out[q.id] = answers[q.id]; // not '', false or missing
  return Object.keys(out).length ? out : undefined;
}

/** A booking's `answers` ([{label, text, ...}]) under a heading; null when there are none. */
export function answerList(answers, l10n) {
  if (!answers || !answers.length) return null;
  return [
    h('h3', { class: 'answers-title' }, l10n.t('yourAnswers')),
    h(
      'dl',
      { class: 'details', part: 'answers' },
      answers.map((a) => [h('dt', {}, a.label), h('dd', {}, a.text ?? String(a.value))]),
    ),
  ];
}
