// Webhooks (admins): the list with enable/disable and delete, and a new one (its signing
// secret shown once). The event types are docs/webhooks.md's.

import { h } from '../widget/dom.js';
import { seg } from './api.js';
import { confirmDialog } from './dialog.js';
import { actionButton, field, notice } from './form.js';
import { secretBox } from './secret.js';

const EVENT_TYPES = [
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.status_changed',
  'booking.reminder_sent',
];

export async function webhooksView(app, main) {
  const { t } = app;
  const url = h('input', { type: 'url', name: 'url', required: true });
  const description = h('input', { type: 'text', name: 'description' });
  const events = EVENT_TYPES.map((type) =>
    h('input', { type: 'checkbox', name: 'events', value: type, checked: type === 'booking.created' }),
  );
  const created = h('div', { attrs: { 'aria-live': 'polite' } });
  const form = h(
    'form',
    { class: 'card', noValidate: true },
    field(t('url'), url),
    field(t('description'), description),
    h(
      'fieldset',
      {},
      h('legend', {}, t('events')),
      events.map((box) => field(box.value, box)),
    ),
    h('button', { type: 'submit', class: 'button primary' }, t('createWebhook')),
  );
  const list = h('div');
  main.append(h('h1', {}, t('webhooksTitle')), form, created, list);

  const load = async () => {
    const { webhooks } = await app.api.get('/api/v1/webhooks');
    if (!webhooks.length) return list.replaceChildren(h('p', {}, t('noWebhooks')));
    list.replaceChildren(
      h(
        'ul',
        { class: 'cards' },
        webhooks.map((w) =>
          h(
            'li',
            { class: 'card' },
            h('p', {}, h('strong', {}, w.url)),
            h('p', {}, `${t('events')}: ${w.events.join(', ')}`),
            w.description ? h('p', {}, w.description) : null,
            h('p', {}, `${t('status')}: ${w.enabled ? t('enabled') : t('disabled')}`),
            w.last_error ? h('p', {}, `${t('lastError')}: ${w.last_error}`) : null,
            h(
              'div',
              { class: 'actions' },
              actionButton(w.enabled ? t('disable') : t('enable'), async () => {
                await app.api.patch(`/api/v1/webhooks/${seg(w.id)}`, { enabled: !w.enabled });
                await load();
              }),
              actionButton(
                t('delete'),
                async () => {
                  if (
                    !(await confirmDialog({
                      title: t('delete'),
                      text: t('deleteAsk', { url: w.url }),
                      yes: t('delete'),
                      no: t('cancel'),
                    }))
                  )
                    return;
                  await app.api.delete(`/api/v1/webhooks/${seg(w.id)}`);
                  await load();
                },
                { className: 'button danger' },
              ),
            ),
          ),
        ),
      ),
    );
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const r = await app.api.post('/api/v1/webhooks', {
        url: url.value.trim(),
        events: events.filter((e) => e.checked).map((e) => e.value),
        description: description.value || undefined,
        clinic_id: app.clinic.id,
      });
      url.value = '';
      created.replaceChildren(secretBox(app, t('webhookSecretOnce'), r.secret));
      await load();
    } catch (error) {
      created.replaceChildren(notice('error', app.errorText(error)));
    }
  });
  await load();
}
