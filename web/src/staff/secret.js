// A secret the server shows once (a new API key, a webhook's signing secret): a read-only
// field to select and a button that copies it.

import { h } from '../widget/dom.js';
import { field, notice } from './form.js';

export function secretBox(app, label, secret) {
  const { t } = app;
  const input = h('input', { type: 'text', readOnly: true, value: secret, name: 'secret', class: 'secret' });
  const said = h('p', { class: 'hint', attrs: { 'aria-live': 'polite' } });
  const copy = h('button', { type: 'button', class: 'button' }, t('copy'));
  copy.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(secret);
      said.textContent = t('copied');
    } catch {
      said.textContent = t('copyFailed');
    }
  });
  return h('div', { class: 'secret-box' }, notice('success', label), field(t('secret'), input), copy, said);
}
