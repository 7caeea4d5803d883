// The frame around every view: a skip link, the clinic's name, the menu of the views the
// user's role may open (roles.js), the language switch and the session's buttons.

import { h } from '../widget/dom.js';
import { LANGUAGES } from './i18n.js';
import { canOpen } from './roles.js';
import { formatRoute } from './routes.js';

const MENU = ['day', 'week', 'new', 'search', 'settings', 'keys', 'webhooks', 'calendars', 'audit'];

export function renderShell(app, route) {
  const { t } = app;
  const language = h(
    'select',
    { id: 'language', onchange: (e) => app.setLanguage(e.target.value) },
    LANGUAGES.map((l) =>
      h('option', { value: l.tag, selected: l.tag === app.language, attrs: { lang: l.tag } }, l.name),
    ),
  );
  const header = h(
    'header',
    { class: 'top' },
    h('a', { class: 'skip', href: '#content', onclick: skipToContent }, t('skipToContent')),
    h('p', { class: 'brand' }, app.clinic ? app.clinic.name : t('appTitle')),
    h('div', { class: 'lang' }, h('label', { attrs: { for: 'language' } }, t('language')), language),
  );
  if (!app.user) return header;
  const date = route.date || app.today();
  const items = MENU.filter((name) => canOpen(app.user, name)).map((name) => {
    const href = formatRoute(name, name === 'day' || name === 'week' ? { date } : {});
    const current = route.name === name;
    return h('li', {}, h('a', { href, attrs: { 'aria-current': current ? 'page' : null } }, t(`nav_${name}`)));
  });
  header.append(
    h('nav', { attrs: { 'aria-label': t('mainMenu') } }, h('ul', {}, items)),
    h(
      'div',
      { class: 'session' },
      h('p', {}, t('signedInAs', { email: app.user.email, role: t(`role_${app.user.role}`) })),
      h('button', { type: 'button', class: 'button quiet', onclick: () => app.logout(false) }, t('logout')),
      h('button', { type: 'button', class: 'button quiet', onclick: () => app.logout(true) }, t('signOutEverywhere')),
    ),
  );
  return header;
}

// The hash holds the route, so the skip link moves focus itself instead of navigating.
function skipToContent(event) {
  event.preventDefault();
  const main = document.getElementById('content');
  if (main) main.focus();
}
