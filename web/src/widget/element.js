// <clinic-booking>: the booking flow. Type and practitioner -> day -> time -> details ->
// confirmation. The clinic snapshot is fetched once and every later answer comes from the
// in-page engine; the snapshot is refreshed when older than a minute and right before a
// booking is sent, and the server re-checks the booking with the same engine. While the
// patient gives their details, the time is held for them (hold.js).
// This file draws the first step; the steps after it (details.js) come in a second script,
// loaded right after the first times show (details_chunk.js), so the first paint waits
// only for what it shows.

import { BookingApi } from './api.js';
import { defaultServer, sharedEngine } from './assets.js';
import { Availability } from './availability.js';
import { readDeepLink } from './deep_link.js';
import { loadDetailsSteps } from './details_chunk.js';
import { h, replaceChildren, uid } from './dom.js';
import { nameOf } from './text.js';
import { localizer, pageLanguage } from './i18n.js';
import { SlotPicker } from './picker.js';
import { Shell } from './shell.js';

const SNAPSHOT_MAX_AGE_MS = 60000;

/** Attributes that prefill the patient's details. Never consent to texts: only their own tick gives it. */
const PREFILL = ['name', 'email', 'phone'];

/** Every documented attribute (docs/widget.md); each takes effect after connect too. */
const ATTRIBUTES = ['clinic', 'server', 'lang', 'timezone', 'appointment-type', 'practitioner', ...PREFILL];

export class BookingWidget extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  connectedCallback() {
    if (!this.shell) {
      this.shell = new Shell(this);
      this.view = this.shell.view;
      this.patient = Object.fromEntries(PREFILL.map((name) => [name, this.getAttribute(name) || '']));
      this.patient.notes = '';
      this.patient.smsOptIn = false;
      // a page that goes away lets the held time go (a widget removed from it too, below)
      this.onPageHide = () => this.hold && this.hold.release(true);
      // A deep link to the page (deep_link.js): its referral goes with every booking of this
      // widget, its slot is opened once, by the first load of its clinic.
      const link = readDeepLink(window.location.search);
      this.referral = link.referral;
      this.linkedSlot = link.slot;
    }
    window.addEventListener('pagehide', this.onPageHide);
    // connected again after a move: start over with a fresh snapshot, keeping what was typed
    this.start();
  }

  disconnectedCallback() {
    // whatever is in flight finishes into nothing: no render, no event, no timer left
    if (this.phase === 'details') this.patient = this.form.values();
    window.removeEventListener('pagehide', this.onPageHide);
    if (this.hold) this.hold.release(true);
    this.shell.end();
    this.phase = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected || !this.shell) return;
    if (PREFILL.includes(name)) return this.prefill(name, newValue || '', oldValue || '');
    if (!this.availability || name === 'clinic' || name === 'server' || name === 'timezone') return this.start();
    if (name === 'lang') {
      this.l10n = this.makeLocalizer();
      return this.rerender();
    }
    if (name === 'appointment-type' && this.availability.appointmentType(newValue)) {
      this.typeId = newValue;
      if (!this.availability.practitionersFor(newValue).some((p) => p.id === this.practitionerId))
        this.practitionerId = 'any';
    } else if (name === 'practitioner') {
      this.practitionerId = this.availability.practitionersFor(this.typeId).some((p) => p.id === newValue)
        ? newValue
        : 'any';
    } else {
      return;
    }
    if (this.phase === 'pick') {
      this.selectSlot(null);
      this.picker = null;
      this.showPick();
    }
  }

  /** A prefill attribute changed: it fills the field unless the patient typed their own. */
  prefill(name, value, previous) {
    if (this.phase === 'details') {
      this.form.prefill(name, value, previous);
      this.patient = this.form.values();
    } else if (!this.patient[name] || this.patient[name] === previous) {
      this.patient[name] = value;
    }
  }

  /** The current step drawn again (after a language change). */
  rerender() {
    if (this.phase === 'pick') {
      this.showPick();
      if (this.linkedSlotGone) {
        if (!this.picker.selectedSlot) this.picker.openAt(this.linkedSlotGone); // the note's day
        this.showLinkedSlotGone(this.linkedSlotGone, { quiet: true });
      }
    } else if (this.phase === 'details') this.showDetails();
    else if (this.phase === 'done') this.showDone(this.lastBooking, { announce: false });
  }

  makeLocalizer() {
    return localizer(this.getAttribute('lang') || pageLanguage(this), this.patientZone);
  }

  get clinicId() {
    return this.getAttribute('clinic') || '';
  }

  // ---- loading -------------------------------------------------------------------------

  async start() {
    this.load = this.shell.begin();
    const { signal, current } = this.load;
    if (this.hold) this.hold.release();
    this.hold = null; // taken on Continue (details.js)
    this.api = new BookingApi(this.getAttribute('server') || defaultServer());
    // The requests first: all that follows (the first Intl formatter costs a fresh page
    // about 20 ms) runs while they are on the wire.
    const snapshotLoad = this.api.snapshot(this.clinicId, signal);
    let engine = null;
    const engineLoad = sharedEngine().then((loaded) => (engine = loaded));
    for (const load of [snapshotLoad, engineLoad]) load.catch(() => {}); // awaited below
    this.phase = 'loading';
    this.engine = null;
    this.availability = null;
    this.picker = null;
    this.chosenSlot = null;
    this.patientZone = this.getAttribute('timezone') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.l10n = this.makeLocalizer();
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'loading', attrs: { role: 'status' } },
        h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        this.l10n.t('loading'),
      ),
    );
    let snapshot;
    try {
      snapshot = await snapshotLoad;
    } catch (error) {
      if (current()) this.showLoadError(error);
      return;
    }
    if (!current()) return; // superseded or disconnected meanwhile
    this.engine = engine;
    this.useSnapshot(snapshot);
    const link = this.usableLinkedSlot();
    const types = this.availability.appointmentTypes();
    const wantedType = link ? link.typeId : this.getAttribute('appointment-type');
    this.typeId = (types.find((t) => t.id === wantedType) || types[0] || {}).id;
    const wantedPractitioner = link ? link.practitionerId : this.getAttribute('practitioner');
    this.practitionerId = this.availability.practitionersFor(this.typeId).some((p) => p.id === wantedPractitioner)
      ? wantedPractitioner
      : 'any';
    // The engine still on its way (its .wasm is the largest file): the step is drawn now
    // around an empty calendar, so that only the days and times are left for when it comes.
    this.showPick();
    if (!engine) {
      try {
        await engineLoad;
      } catch (error) {
        if (current()) this.showLoadError(error);
        return;
      }
      if (!current()) return;
      this.engine = engine;
      this.availability = new Availability(engine, snapshot, this.patientZone);
      this.fillPick();
    }
    if (link) {
      this.linkedSlot = null; // opened once (unless the patient chose another type or practitioner meanwhile)
      if (link.typeId === this.typeId && link.practitionerId === this.practitionerId) this.openLinkedSlot(link.start);
    }
    this.emit('booking:ready', { clinicId: this.clinicId });
    // the next steps' code, once this frame is painted (Continue waits for it if need be)
    requestAnimationFrame(() => setTimeout(() => current() && loadDetailsSteps(BookingWidget).catch(() => {})));
  }

  useSnapshot(snapshot) {
    this.snapshot = snapshot;
    this.snapshotAt = Date.now();
    this.availability = new Availability(this.engine, snapshot, this.patientZone);
  }

  showLoadError(error) {
    console.error('clinic-booking:', error);
    this.phase = 'failed';
    const retry = h(
      'button',
      { type: 'button', class: 'secondary', part: 'button', onclick: () => this.start() },
      this.l10n.t('retry'),
    );
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'notice error', attrs: { role: 'alert' } },
        h('p', {}, this.l10n.t('loadFailed')),
        h('div', { class: 'actions' }, retry),
      ),
    );
  }

  /** Fetches a new snapshot; false (and the old one kept) when the network fails. */
  async refreshSnapshot() {
    if (!this.refreshing) {
      const { signal, current } = this.load;
      this.refreshing = this.api
        .snapshot(this.clinicId, signal)
        .then((snapshot) => {
          if (!current()) return false;
          this.useSnapshot(snapshot);
          return true;
        })
        .catch(() => false)
        .finally(() => {
          this.refreshing = null;
        });
    }
    return this.refreshing;
  }

  /** Called on every interaction: a stale snapshot is refreshed in the background. */
  refreshIfStale() {
    if (Date.now() - this.snapshotAt <= SNAPSHOT_MAX_AGE_MS || this.refreshing) return;
    this.refreshSnapshot().then((changed) => {
      if (changed && this.picker && this.phase === 'pick' && this.engine)
        this.picker.setSource(this.availability, this.typeId, this.practitionerId, { keep: true });
    });
  }

  // ---- step 1: type, practitioner, day and time --------------------------------------------

  /**
   * The first step. `reopen`: the slot to show chosen again, if still free (default: the one
   * chosen before); `focus`: on the calendar or that time. Without the snapshot yet, the
   * choices wait for fillChoices(); without the engine, the calendar for fillPick().
   */
  showPick({ focus = false, reopen = this.picker && this.picker.selectedSlot } = {}) {
    const { l10n } = this;
    this.phase = 'pick';
    this.typeSelect = h('select', {
      id: uid('type'),
      part: 'select',
      disabled: true,
      onchange: () => this.changeType(this.typeSelect.value),
    });
    this.practitionerSelect = h('select', {
      id: uid('practitioner'),
      part: 'select',
      disabled: true,
      onchange: () => this.changePractitioner(this.practitionerSelect.value),
    });
    this.continueButton = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        part: 'button primary continue',
        disabled: true,
        onclick: () => this.continueToDetails(),
      },
      l10n.t('continue'),
    );
    this.continueError = h('p', { class: 'field-error', attrs: { role: 'alert' } });
    this.picker = new SlotPicker({
      l10n,
      announce: (text) => this.announce(text),
      onInteraction: () => this.refreshIfStale(),
      onSlot: (slot) => this.selectSlot(slot),
    });
    this.heading = h('h2', { part: 'title', tabIndex: -1 }, l10n.t('title'));
    this.clinicName = h('p', { class: 'clinic-name' });
    replaceChildren(
      this.view,
      h('div', { class: 'header', part: 'header' }, this.heading, this.clinicName),
      h(
        'div',
        { class: 'choices' },
        h(
          'div',
          { class: 'choice' },
          h('label', { htmlFor: this.typeSelect.id }, l10n.t('appointmentType')),
          this.typeSelect,
        ),
        h(
          'div',
          { class: 'choice' },
          h('label', { htmlFor: this.practitionerSelect.id }, l10n.t('practitioner')),
          this.practitionerSelect,
        ),
      ),
      this.picker.element,
      h('div', { class: 'actions' }, this.continueButton),
      this.continueError,
    );
    if (this.availability) this.fillChoices();
    if (this.engine) this.fillPick({ focus, reopen });
    else this.picker.showPending(this.patientZone);
  }

  /** The clinic's name, appointment types and practitioners (the snapshot's). */
  fillChoices() {
    const { l10n } = this;
    this.clinicName.textContent = this.availability.clinic.name || '';
    this.typeSelect.replaceChildren(
      ...this.availability
        .appointmentTypes()
        .map((type) =>
          h(
            'option',
            { value: type.id, selected: type.id === this.typeId },
            `${nameOf(type, l10n)} · ${l10n.t('minutes', { n: type.duration_minutes })}`,
          ),
        ),
    );
    this.typeSelect.disabled = false;
    this.practitionerSelect.disabled = false;
    this.fillPractitioners();
    const note = this.zoneNote();
    if (note) this.picker.element.after(note);
  }

  /** The calendar's days and the first free day's times (showPick's options). */
  fillPick({ focus = false, reopen = null } = {}) {
    this.picker.setSource(this.availability, this.typeId, this.practitionerId);
    if (reopen) this.picker.openAt(reopen.start); // back from the details step: that day and time again
    if (focus) this.picker.focus();
  }

  /**
   * The deep link's slot when it is for this clinic and names an appointment type of the
   * snapshot and "any" or a practitioner offering it; else null.
   */
  usableLinkedSlot() {
    const link = this.linkedSlot;
    if (!link || link.clinicId !== this.clinicId) return null;
    const { typeId, practitionerId } = link;
    const offered =
      practitionerId === 'any' || this.availability.practitionersFor(typeId).some((p) => p.id === practitionerId);
    return this.availability.appointmentType(typeId) && offered ? link : null;
  }

  /**
   * Opens on a deep link's time. Still free (the engine's answer): chosen, and on to the
   * details step as if the patient had clicked it and Continue. Gone: its day, and once the
   * next steps' code is there, a note with the nearest free times (details.js).
   */
  async openLinkedSlot(start) {
    if (this.picker.openAt(start)) return this.continueToDetails();
    const picker = this.picker;
    try {
      await loadDetailsSteps(BookingWidget);
    } catch {
      return; // the day is shown; the note needs the code that is not there
    }
    if (this.phase === 'pick' && this.picker === picker && !this.chosenSlot) this.showLinkedSlotGone(start);
  }

  fillPractitioners() {
    const { l10n } = this;
    const options = [h('option', { value: 'any' }, l10n.t('anyPractitioner'))];
    for (const p of this.availability.practitionersFor(this.typeId))
      options.push(h('option', { value: p.id }, nameOf(p, l10n)));
    this.practitionerSelect.replaceChildren(...options);
    this.practitionerSelect.value = this.practitionerId;
  }

  zoneNote() {
    const { l10n } = this;
    const clinicZone = this.availability.clinicZone;
    if (clinicZone === this.patientZone) return null;
    return h(
      'p',
      { class: 'zone-note' },
      l10n.t('zoneNote', {
        zone: `${l10n.zoneName(this.patientZone)}, ${this.patientZone}`,
        clinicZone: `${l10n.zoneName(clinicZone)}, ${clinicZone}`,
      }),
    );
  }

  changeType(typeId) {
    this.typeId = typeId;
    if (!this.availability.practitionersFor(typeId).some((p) => p.id === this.practitionerId))
      this.practitionerId = 'any';
    this.fillPractitioners();
    this.showChoice();
  }

  changePractitioner(practitionerId) {
    this.practitionerId = practitionerId;
    this.showChoice();
  }

  /** Another type or practitioner: its calendar, no time chosen. */
  showChoice() {
    this.refreshIfStale();
    if (this.linkNotice) this.linkNotice.remove(); // its times were the other choice's
    this.linkNotice = this.linkedSlotGone = null;
    this.selectSlot(null);
    if (this.engine) this.picker.setSource(this.availability, this.typeId, this.practitionerId);
  }

  selectSlot(slot) {
    const changed = (slot && slot.start) !== (this.chosenSlot && this.chosenSlot.start);
    this.chosenSlot = slot;
    if (changed) this.attemptKey = null; // a different time is a different booking attempt
    if (this.continueButton) this.continueButton.disabled = !slot;
    if (slot && changed) {
      this.emit('booking:slot-selected', {
        start: slot.start,
        end: slot.end,
        appointmentType: this.typeId,
        practitionerId: this.practitionerId,
      });
    }
  }

  /** Continue: the details step with the time held, its code loaded first if need be. */
  async continueToDetails() {
    const slot = this.chosenSlot;
    this.continueError.textContent = '';
    try {
      await loadDetailsSteps(BookingWidget);
    } catch (error) {
      console.error('clinic-booking:', error);
      if (this.phase === 'pick') this.continueError.textContent = this.l10n.t('stepFailed');
      return;
    }
    if (this.phase !== 'pick' || this.chosenSlot !== slot) return; // moved on meanwhile
    this.showDetails();
    this.takeHold();
  }

  // ---- plumbing ---------------------------------------------------------------------------

  announce(text) {
    this.shell.announce(text);
  }

  announceAlert(text) {
    this.shell.announceAlert(text);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
