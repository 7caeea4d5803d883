// The audit log (admins), newest first, fifty at a time: "Older entries" asks for the page
// before the last one shown (next_before).

import { h } from '../widget/dom.js';
import { actionButton } from './form.js';

export async function auditView(app, main) {
  const { t, l10n } = app;
  const body = h('tbody');
  const more = h('div', { class: 'actions' });
  main.append(
    h('h1', {}, t('auditTitle')),
    h(
      'div',
      { class: 'table-scroll', tabIndex: 0, attrs: { role: 'region', 'aria-label': t('auditTitle') } },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            [t('at'), t('actor'), t('action'), t('target')].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  const load = async (before) => {
    const r = await app.api.get('/api/v1/audit', { params: { clinic_id: app.clinic.id, limit: 50, before } });
    for (const e of r.entries)
      body.append(
        h(
          'tr',
          {},
          h('td', {}, l10n.dateTime(e.at)),
          h('td', {}, `${e.actor.name || e.actor.id || ''} (${e.actor.type})`),
          h('td', {}, h('code', {}, e.action)),
          h('td', {}, `${e.target_type || ''} ${e.target_id || ''}`),
        ),
      );
    if (!body.children.length) body.append(h('tr', {}, h('td', { colSpan: 4 }, t('noEntries'))));
    more.replaceChildren(r.next_before ? actionButton(t('older'), () => load(r.next_before)) : '');
  };
  await load();
}
