// Labelled form fields with their error line, the one way every staff form shows a
// server's `fields: {name: message}` next to the field it names (docs/api.md).

import { h, uid } from '../widget/dom.js';

/**
 * A label, a control and its (empty) error line, wired with for/id and
 * aria-describedby. `control` is an element; its `name` is how errors find it.
 */
export function field(label, control, { hint, className = 'field' } = {}) {
  const id = control.id || (control.id = uid('f'));
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const described = [error.id];
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
    described.unshift(hintEl.id);
  }
  control.setAttribute('aria-describedby', described.join(' '));
  const isCheck = control.type === 'checkbox';
  const labelEl = h('label', { attrs: { for: id } }, label);
  return h(
    'div',
    { class: `${className}${isCheck ? ' check' : ''}` },
    isCheck ? [control, labelEl] : [labelEl, control],
    hintEl,
    error,
  );
}

/** Shows (or clears, with '') the error of one control. */
export function setError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  if (error) error.textContent = message || '';
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
}

/** Clears every error in `form`. */
export function clearErrors(form) {
  for (const control of form.querySelectorAll('[aria-invalid]')) setError(control, '');
}

/**
 * Puts each `fields` message next to the control of that name in `form` (`aliases` maps a
 * server name to a control name); focuses the first. Returns the messages no control took.
 */
export function showFieldErrors(form, fields = {}, aliases = {}) {
  const rest = [];
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const control = form.querySelector(`[name="${aliases[name] || name}"]`);
    if (!control) {
      rest.push(`${name}: ${message}`);
      continue;
    }
    setError(control, message);
    first = first || control;
  }
  if (first) first.focus();
  return rest;
}

/** A status line: `kind` is info, success, warning or error (error is announced at once). */
export const notice = (kind, ...text) =>
  h('p', { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, ...text);

/** `<select>` of [value, label] pairs. */
export function select(name, options, value) {
  const el = h('select', { name });
  for (const [v, label] of options) el.append(h('option', { value: v, selected: v === value }, label));
  if (value !== undefined) el.value = value;
  return el;
}

/** A button that runs `action` once at a time and is disabled meanwhile. */
export function actionButton(label, action, { className = 'button', busyLabel } = {}) {
  const button = h('button', { type: 'button', class: className }, label);
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    button.disabled = true;
    if (busyLabel) button.textContent = busyLabel;
    try {
      await action(button);
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        button.textContent = label;
      }
    }
  });
  return button;
}
