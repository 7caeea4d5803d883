// The staff app's state in one place (the signed-in user, the clinic, the language, the
// route) and the one path that shows a view: every change of route, language or session
// goes through show(), which disposes the previous view (its timers and requests) first.
// A 401 from any request shows the login page with the current route kept in `next`, so
// signing in again returns to the same view.

import { dateInZone } from '../widget/dates.js';
import { h, replaceChildren } from '../widget/dom.js';
import { StaffApi, StaffApiError, seg } from './api.js';
import { clinicAvailability, loadEngine, snapshotOf } from './engine.js';
import { plainName } from './names.js';
import { localizer } from './i18n.js';
import { canOpen } from './roles.js';
import { formatRoute, parseRoute } from './routes.js';
import { renderShell } from './shell.js';
import { VIEWS } from './views.js';

const LANGUAGE_KEY = 'slotbook.staff.language';
// Set while this browser has a session, so a first visit shows the login without asking
// the server (whose 401 the browser would log as an error); the cookie itself is HttpOnly.
const SESSION_HINT = 'slotbook.staff.signed-in';

export class StaffApp {
  constructor(root) {
    this.root = root;
    this.api = new StaffApi({ onUnauthorized: () => this.sessionEnded() });
    this.user = null;
    this.clinic = null; // {id, name, timezone}
    this.config = null; // GET /api/calendar/clinic (private fields only for admins)
    this.snapshot = null; // the public snapshot the engine answers from, {text, data}
    this.snapshotTag = '';
    this.language = localStorage.getItem(LANGUAGE_KEY) || (/^es\b/i.test(navigator.language) ? 'es' : 'en');
    this.message = null; // {kind, text} shown once on the next view
    this.dispose = [];
    this.showing = 0;
  }

  // one localizer per language and zone: its Intl formatters are costly to make
  get l10n() {
    const zone = this.clinic ? this.clinic.timezone : 'UTC';
    if (!this._l10n || this._l10n.language !== this.language || this._l10n.timeZone !== zone)
      this._l10n = localizer(this.language, zone);
    return this._l10n;
  }

  t = (key, vars) => this.l10n.t(key, vars);

  /** The clinic's date today. */
  today(nowMs = Date.now()) {
    return dateInZone(nowMs, this.clinic.timezone);
  }

  async start() {
    addEventListener('hashchange', () => this.show());
    if (localStorage.getItem(SESSION_HINT)) {
      try {
        await this.signedIn((await this.api.session()).user);
      } catch {
        this.user = null;
        localStorage.removeItem(SESSION_HINT);
      }
    }
    await this.show();
  }

  async signedIn(user) {
    this.user = user;
    localStorage.setItem(SESSION_HINT, '1');
    const { clinics } = await this.api.get('/api/v1/staff/clinics');
    this.clinic = clinics.find((c) => c.id === user.clinic_id) || clinics[0];
    await this.reloadConfig();
  }

  async reloadConfig() {
    this.config = (await this.api.get('/api/calendar/clinic', { params: { clinic_id: this.clinic.id } })).clinic;
  }

  /** The live snapshot (re-read when it changed) and the engine's Availability over it. */
  async availability() {
    const [engine] = await Promise.all([loadEngine(), this.refreshSnapshot()]);
    return { engine, snapshot: this.snapshot, availability: clinicAvailability(engine, this.snapshot) };
  }

  async refreshSnapshot() {
    const answer = await this.api.get(`/api/v1/clinics/${seg(this.clinic.id)}/snapshot`, {
      etag: this.snapshot ? this.snapshotTag : undefined,
    });
    if (answer.notModified) return this.snapshot;
    this.snapshotTag = answer.etag || '';
    this.snapshot = snapshotOf(answer);
    return this.snapshot;
  }

  /** The practitioners the user may see: all, or a practitioner user's own. */
  practitioners() {
    const all = ((this.config && this.config.practitioners) || []).map((p) => ({ ...p, name: plainName(p.name) }));
    if (this.user && this.user.role === 'practitioner') return all.filter((p) => p.id === this.user.practitioner_id);
    return all;
  }

  practitionerName(id) {
    const p = ((this.config && this.config.practitioners) || []).find((x) => x.id === id);
    return p ? plainName(p.name) || p.id : id;
  }

  setLanguage(language) {
    this.language = language;
    localStorage.setItem(LANGUAGE_KEY, language);
    this.show();
  }

  go(name, options) {
    const hash = formatRoute(name, options);
    if (location.hash === hash) this.show();
    else location.hash = hash;
  }

  flash(kind, text) {
    this.message = { kind, text };
  }

  sessionEnded() {
    if (!this.user) return;
    this.user = null;
    localStorage.removeItem(SESSION_HINT);
    this.flash('warning', this.t('sessionEnded'));
    const route = parseRoute(location.hash);
    const next = route.name && route.name !== 'login' ? location.hash : '';
    location.hash = formatRoute('login', { params: { next } });
  }

  async logout(everywhere = false) {
    let ended = 0;
    try {
      if (everywhere) ended = (await this.api.signOutEverywhere()).sessions_ended;
      else await this.api.logout();
    } catch {
      /* signed out already: the login page is right either way */
    }
    this.user = null;
    localStorage.removeItem(SESSION_HINT);
    this.api.csrfToken = '';
    this.flash('success', everywhere ? this.t('signedOutEverywhere', { n: ended }) : this.t('loggedOut'));
    this.go('login');
  }

  /** Shows the view of the current hash, or the login / the default view instead. */
  async show() {
    const ticket = ++this.showing;
    for (const fn of this.dispose.splice(0)) fn();
    document.documentElement.lang = this.language;
    const route = parseRoute(location.hash);
    if (!this.user && route.name !== 'login') {
      const next = route.name ? location.hash : '';
      location.replace(formatRoute('login', { params: { next } }));
      return;
    }
    if (this.user && (!route.name || route.name === 'login')) {
      location.replace(route.params.get('next') || formatRoute('day', { date: this.today() }));
      return;
    }
    const name = canOpen(this.user, route.name) ? route.name : '';
    const view = VIEWS[name];
    const main = h('main', { id: 'content', tabIndex: -1 });
    replaceChildren(this.root, renderShell(this, route), main);
    const message = this.message;
    this.message = null;
    if (message) main.append(h('p', { class: `notice ${message.kind}`, attrs: { role: 'status' } }, message.text));
    if (!view) {
      main.append(h('h1', {}, this.t('notFoundView')));
    } else {
      try {
        await view(this, main, route, (fn) => this.dispose.push(fn));
      } catch (error) {
        if (ticket !== this.showing) return;
        if (error instanceof StaffApiError && error.status === 401) return; // the login is on its way
        main.append(h('p', { class: 'notice error', attrs: { role: 'alert' } }, this.errorText(error)));
      }
    }
    if (ticket === this.showing)
      document.title = `${(main.querySelector('h1') || {}).textContent || ''} · ${this.t('appTitle')}`;
  }

  /** What to tell the staff member about a failed request. */
  errorText(error) {
    if (error instanceof StaffApiError) {
      if (error.status === 0) return this.t('networkError');
      if (error.code === 'forbidden') return this.t('forbidden');
      return this.t('error', { message: error.details ? `${error.message} (${error.details})` : error.message });
    }
    return this.t('error', { message: error && error.message ? error.message : String(error) });
  }
}
