// Finding a booking by the patient's name, phone, email or confirmation number
// (GET /api/v1/appointments/search); a result opens the booking's panel.

import { h } from '../widget/dom.js';
import { field, notice } from './form.js';
import { openBooking } from './panel.js';

export async function searchView(app, main, route) {
  const { t, l10n } = app;
  const q = h('input', {
    type: 'search',
    name: 'q',
    value: route.params.get('q') || '',
    attrs: { autocomplete: 'off' },
  });
  const results = h('div', { class: 'results', attrs: { 'aria-live': 'polite' } });
  const form = h(
    'form',
    { class: 'search card', role: 'search' },
    field(t('searchLabel'), q),
    h('button', { type: 'submit', class: 'button primary' }, t('searchButton')),
  );
  main.append(h('h1', {}, t('searchTitle')), form, results);

  const run = async () => {
    const text = q.value.trim();
    history.replaceState(null, '', `#/search${text ? `?q=${encodeURIComponent(text)}` : ''}`);
    if (text.length < 2) return results.replaceChildren(notice('info', t('searchTooShort')));
    try {
      const { appointments } = await app.api.get('/api/v1/appointments/search', {
        params: { clinic_id: app.clinic.id, q: text },
      });
      results.replaceChildren(
        h('p', {}, t('results', { n: appointments.length })),
        h(
          'ul',
          { class: 'result-list' },
          appointments.map((a) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'result', onclick: () => openBooking(app, a.id, { onChange: run }) },
                h('strong', {}, a.patient_name),
                h('span', {}, `${l10n.dateTime(a.start)} · ${a.practitioner_name}`),
                h('span', {}, `${a.confirmation_number} · ${t(`status_${a.status}`)}`),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      results.replaceChildren(notice('error', app.errorText(error)));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  if (q.value) await run();
  q.focus();
}
