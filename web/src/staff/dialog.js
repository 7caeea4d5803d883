// A modal dialog on the native <dialog>: showModal() makes the rest of the page inert;
// Tab and Shift+Tab wrap inside it as well (so focus never leaves for the page behind),
// Escape closes it, and focus goes back to where it was when it opened, or to what
// `restoreFocus()` finds then (a schedule that was redrawn meanwhile has a new element
// for the same booking).

import { h, uid } from '../widget/dom.js';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Opens a dialog titled `title`; `build(body, close)` fills it. Resolves when it closes
 * with the value given to close(value).
 */
export function openDialog({ title, build, closeLabel = 'Close', restoreFocus, className = '' }) {
  const opener = document.activeElement;
  const titleId = uid('dialog-title');
  const body = h('div', { class: 'dialog-body' });
  const dialog = h('dialog', { class: `dialog ${className}`, attrs: { 'aria-labelledby': titleId } });
  let result;
  const close = (value) => {
    result = value;
    if (dialog.open) dialog.close();
  };
  const heading = h('h2', { id: titleId, tabIndex: -1 }, title);
  dialog.append(
    h(
      'div',
      { class: 'dialog-head' },
      heading,
      h('button', { type: 'button', class: 'button quiet', onclick: () => close() }, closeLabel),
    ),
    body,
  );
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = [...dialog.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === heading)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      const target = (restoreFocus && restoreFocus()) || (opener && opener.isConnected ? opener : null);
      if (target) target.focus();
      resolve(result);
    });
    document.body.append(dialog);
    build(body, close, dialog);
    dialog.showModal();
    heading.focus();
  });
}

/** Asks a yes/no question in a dialog; resolves true for yes. */
export function confirmDialog({ title, text, yes, no }) {
  return openDialog({
    title,
    closeLabel: no,
    className: 'small',
    build(body, close) {
      body.append(
        h('p', {}, text),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'button danger', onclick: () => close(true) }, yes),
          h('button', { type: 'button', class: 'button', onclick: () => close(false) }, no),
        ),
      );
    },
  }).then(Boolean);
}
