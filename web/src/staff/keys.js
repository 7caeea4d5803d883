// API keys (admins): the list, a new key (its secret shown once), revoking one.

import { h } from '../widget/dom.js';
import { seg } from './api.js';
import { confirmDialog } from './dialog.js';
import { actionButton, clearErrors, field, notice, setError } from './form.js';
import { secretBox } from './secret.js';

export async function keysView(app, main) {
  const { t, l10n } = app;
  const name = h('input', { type: 'text', name: 'name', required: true, attrs: { maxlength: 200 } });
  const created = h('div', { attrs: { 'aria-live': 'polite' } });
  const form = h(
    'form',
    { class: 'card inline-form', noValidate: true },
    field(t('keyName'), name),
    h('button', { type: 'submit', class: 'button primary' }, t('createKey')),
  );
  const list = h('div');
  main.append(h('h1', {}, t('keysTitle')), form, created, list);

  const load = async () => {
    const { keys } = await app.api.get('/api/v1/keys', { params: { clinic_id: app.clinic.id } });
    if (!keys.length) return list.replaceChildren(h('p', {}, t('noKeys')));
    const head = [t('keyName'), t('prefix'), t('created'), t('lastUsed'), t('status'), ''];
    list.replaceChildren(
      h(
        'div',
        { class: 'table-scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': t('keysTitle') } },
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              head.map((x) => h('th', { scope: 'col' }, x)),
            ),
          ),
          h(
            'tbody',
            {},
            keys.map((k) =>
              h(
                'tr',
                {},
                h('td', {}, k.name),
                h('td', {}, h('code', {}, k.prefix)),
                h('td', {}, l10n.dateTime(k.created_at)),
                h('td', {}, k.last_used_at ? l10n.dateTime(k.last_used_at) : t('never')),
                h('td', {}, k.revoked_at ? t('revoked') : t('active')),
                h(
                  'td',
                  {},
                  k.revoked_at
                    ? ''
                    : actionButton(
                        t('revoke'),
                        async () => {
                          const yes = await confirmDialog({
                            title: t('revoke'),
                            text: t('revokeAsk', { name: k.name }),
                            yes: t('revoke'),
                            no: t('cancel'),
                          });
                          if (!yes) return;
                          await app.api.delete(`/api/v1/keys/${seg(k.id)}`);
                          await load();
                        },
                        { className: 'button danger' },
                      ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!name.value.trim()) return setError(name, t('keyName'));
    try {
      const r = await app.api.post('/api/v1/keys', { name: name.value.trim(), clinic_id: app.clinic.id });
      name.value = '';
      created.replaceChildren(secretBox(app, t('keySecretOnce'), r.secret));
      await load();
    } catch (error) {
      created.replaceChildren(notice('error', app.errorText(error)));
    }
  });
  await load();
}
