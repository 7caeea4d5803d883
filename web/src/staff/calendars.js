// Calendar connections: each practitioner's status (a practitioner user sees only their
// own), connecting one (the provider's consent page, from GET /api/calendar/auth-url; a
// server without the provider configured answers an error, shown as it is) and
// disconnecting.

import { h, replaceChildren } from '../widget/dom.js';
import { actionButton, notice } from './form.js';

const PROVIDERS = [
  ['google', 'connectGoogle'],
  ['microsoft', 'connectMicrosoft'],
];

export async function calendarsView(app, main) {
  const { t, l10n } = app;
  main.append(h('h1', {}, t('calendarsTitle')));
  const list = h('ul', { class: 'cards' });
  main.append(list);
  const card = async (p) => {
    const item = h('li', { class: 'card' });
    const said = h('div', { attrs: { 'aria-live': 'polite' } });
    const draw = async () => {
      const s = await app.api.get('/api/calendar/status', { params: { practitioner_id: p.id } });
      const titleId = `cal-${p.id}`;
      item.setAttribute('aria-labelledby', titleId);
      replaceChildren(
        item,
        h('h2', { id: titleId }, p.name || p.id),
        h('p', {}, `${t('status')}: ${t(`connection_${s.status}`)}`),
        s.connections.length
          ? h(
              'ul',
              {},
              s.connections.map((c) =>
                h(
                  'li',
                  {},
                  `${t('provider')}: ${c.provider}${c.email ? ` (${c.email})` : ''} · ${t(`connection_${c.status}`)} · ${t('lastSync')}: ${
                    c.last_sync ? l10n.dateTime(c.last_sync) : t('never')
                  }${c.last_error ? ` · ${t('lastError')}: ${c.last_error}` : ''}`,
                ),
              ),
            )
          : null,
        h(
          'div',
          { class: 'actions' },
          PROVIDERS.map(([provider, key]) =>
            actionButton(t(key), async () => {
              try {
                const r = await app.api.get('/api/calendar/auth-url', { params: { practitioner_id: p.id, provider } });
                location.assign(r.auth_url);
              } catch (error) {
                said.replaceChildren(notice('error', t('connectFailed', { message: error.details || error.message })));
              }
            }),
          ),
          s.connections.length
            ? actionButton(t('disconnect'), async () => {
                try {
                  const r = await app.api.delete('/api/calendar/disconnect', { params: { practitioner_id: p.id } });
                  await draw();
                  said.replaceChildren(notice('success', t('disconnected', { n: r.disconnected })));
                } catch (error) {
                  said.replaceChildren(notice('error', app.errorText(error)));
                }
              })
            : null,
        ),
        said,
      );
    };
    await draw();
    return item;
  };
  list.append(...(await Promise.all(app.practitioners().map(card))));
}
