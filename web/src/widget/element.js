// <clinic-booking>: the booking flow. Type and practitioner -> day -> time -> details ->
// confirmation. The clinic snapshot is fetched once and every later answer comes from the
// in-page engine; the snapshot is refreshed when older than a minute and right before a
// booking is sent, and the server re-checks the booking with the same engine. While the
// patient gives their details, the time is held for them (hold.js).

import { ApiError, BookingApi, idempotencyKey } from './api.js';
import { defaultServer, sharedEngine } from './assets.js';
import { Availability } from './availability.js';
import { h, replaceChildren, uid } from './dom.js';
import { meetingDetail } from './meeting.js';
import { PatientForm } from './form.js';
import { Hold } from './hold.js';
import { changePolicyText } from './policy.js';
import { answerList, answersFor, questionsFor } from './questions.js';
import { nameOf } from './text.js';
import { bookingEvent, calendarLinks } from './calendar_links.js';
import { webCalendarButtons } from './calendar_buttons.js';
import { localizer, pageLanguage } from './i18n.js';
import { SlotPicker } from './picker.js';
import { Shell } from './shell.js';
import { timeRadioGroup } from './times.js';

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
    }
    window.addEventListener('pagehide', this.onPageHide);
    // connected again after a move: start over with a fresh snapshot, keeping what was typed
    this.start();
  }

  disconnectedCallback() {
    // whatever is in flight finishes into nothing: no render, no event, no timer left
    if (this.phase === 'details') this.patient = this.form.values();
    window.removeEventListener('pagehide', this.onPageHide);
    this.hold.release(true);
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
    if (this.phase === 'pick') this.showPick();
    else if (this.phase === 'details') this.showDetails();
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
    this.phase = 'loading';
    this.availability = null;
    this.picker = null;
    this.chosenSlot = null;
    this.patientZone = this.getAttribute('timezone') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.l10n = this.makeLocalizer();
    this.api = new BookingApi(this.getAttribute('server') || defaultServer());
    if (this.hold) this.hold.release();
    this.hold = new Hold(this.api, { onChange: () => this.showHold(), onRanOut: () => this.holdRanOut() });
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'loading', attrs: { role: 'status' } },
        h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        this.l10n.t('loading'),
      ),
    );
    let engine, snapshot;
    try {
      [engine, snapshot] = await Promise.all([sharedEngine(), this.api.snapshot(this.clinicId, signal)]);
    } catch (error) {
      if (current()) this.showLoadError(error);
      return;
    }
    if (!current()) return; // superseded or disconnected meanwhile
    this.engine = engine;
    this.useSnapshot(snapshot);
    const types = this.availability.appointmentTypes();
    const wantedType = this.getAttribute('appointment-type');
    this.typeId = (types.find((t) => t.id === wantedType) || types[0] || {}).id;
    const wantedPractitioner = this.getAttribute('practitioner');
    this.practitionerId = this.availability.practitionersFor(this.typeId).some((p) => p.id === wantedPractitioner)
      ? wantedPractitioner
      : 'any';
    this.showPick();
    this.emit('booking:ready', { clinicId: this.clinicId });
  }

  useSnapshot(snapshot) {
    this.snapshot = snapshot;
    this.snapshotAt = Date.now();
    this.availability = new Availability(this.engine, snapshot, this.patientZone);
  }

  showLoadError(error) {
    console.error('clinic-booking:', error);
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
      if (changed && this.picker && this.phase === 'pick')
        this.picker.setSource(this.availability, this.typeId, this.practitionerId, { keep: true });
    });
  }

  // ---- step 1: type, practitioner, day and time --------------------------------------------

  /** `reopen`: the slot to show chosen again, if still free (default: the one chosen before). */
  showPick({ focus = false, reopen = this.picker && this.picker.selectedSlot } = {}) {
    const { l10n } = this;
    this.phase = 'pick';
    const types = this.availability.appointmentTypes();
    const typeSelect = h(
      'select',
      { id: uid('type'), part: 'select', onchange: () => this.changeType(typeSelect.value) },
      types.map((type) =>
        h(
          'option',
          { value: type.id, selected: type.id === this.typeId },
          `${nameOf(type, l10n)} · ${l10n.t('minutes', { n: type.duration_minutes })}`,
        ),
      ),
    );
    this.practitionerSelect = h('select', {
      id: uid('practitioner'),
      part: 'select',
      onchange: () => this.changePractitioner(this.practitionerSelect.value),
    });
    this.fillPractitioners();
    this.continueButton = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        part: 'button primary continue',
        disabled: true,
        onclick: () => {
          this.showDetails();
          this.takeHold();
        },
      },
      l10n.t('continue'),
    );
    const keepSlot = reopen;
    this.picker = new SlotPicker({
      l10n,
      announce: (text) => this.announce(text),
      onInteraction: () => this.refreshIfStale(),
      onSlot: (slot) => this.selectSlot(slot),
    });
    this.heading = h('h2', { part: 'title', tabIndex: -1 }, l10n.t('title'));
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'header', part: 'header' },
        this.heading,
        h('p', { class: 'clinic-name' }, this.availability.clinic.name || ''),
      ),
      h(
        'div',
        { class: 'choices' },
        h('div', { class: 'choice' }, h('label', { htmlFor: typeSelect.id }, l10n.t('appointmentType')), typeSelect),
        h(
          'div',
          { class: 'choice' },
          h('label', { htmlFor: this.practitionerSelect.id }, l10n.t('practitioner')),
          this.practitionerSelect,
        ),
      ),
      this.picker.element,
      this.zoneNote(),
      h('div', { class: 'actions' }, this.continueButton),
    );
    this.picker.setSource(this.availability, this.typeId, this.practitionerId);
    if (keepSlot) {
      // back from the details step: reopen the chosen day and time
      this.picker.showMonth(keepSlot.localDate, false);
      this.picker.selectDate(keepSlot.localDate, false);
      const again = (this.picker.days.get(keepSlot.localDate) || []).find((s) => s.start === keepSlot.start);
      if (again) this.picker.setSlot(again);
    }
    if (focus) this.picker.focus();
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
    this.refreshIfStale();
    this.typeId = typeId;
    if (!this.availability.practitionersFor(typeId).some((p) => p.id === this.practitionerId))
      this.practitionerId = 'any';
    this.fillPractitioners();
    this.selectSlot(null);
    this.picker.setSource(this.availability, this.typeId, this.practitionerId);
  }

  changePractitioner(practitionerId) {
    this.refreshIfStale();
    this.practitionerId = practitionerId;
    this.selectSlot(null);
    this.picker.setSource(this.availability, this.typeId, this.practitionerId);
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

  // ---- step 2: the patient's details ----------------------------------------------------------

  /** Who the booking is with: the held practitioner (a hold for "any" picks one), else the choice. */
  bookedPractitioner() {
    return (this.hold.data && this.hold.data.practitioner_id) || this.practitionerId;
  }

  summary(slot = this.chosenSlot, { taken = false } = {}) {
    const { l10n } = this;
    const type = this.availability.appointmentType(this.typeId) || { id: this.typeId };
    this.summaryWho = this.bookedPractitioner();
    const who =
      this.summaryWho === 'any' ? l10n.t('anyPractitioner') : this.availability.practitionerName(this.summaryWho, l10n);
    const clinicZone = this.availability.clinicZone;
    return h(
      'div',
      { class: taken ? 'summary taken' : 'summary', part: 'summary' },
      h('strong', {}, l10n.dateTime(slot.start)),
      h(
        'span',
        { class: 'muted' },
        `${nameOf(type, l10n)} · ${l10n.t('minutes', { n: type.duration_minutes })} · ${who}`,
      ),
      clinicZone !== this.patientZone
        ? h('span', { class: 'muted' }, ` · ${l10n.time(slot.start, clinicZone)} ${l10n.t('clinicTime')}`)
        : null,
    );
  }

  showDetails({ notice = null } = {}) {
    const { l10n } = this;
    if (!this.chosenSlot) return;
    this.refreshIfStale();
    this.phase = 'details';
    if (this.form) this.patient = this.form.values();
    this.form = new PatientForm({
      l10n,
      values: this.patient,
      submitLabel: l10n.t('confirm'),
      footnote: changePolicyText(this.availability.snapshot.data, this.typeId, l10n),
      questions: questionsFor(this.availability.snapshot.data, this.typeId),
      zone: this.availability.clinicZone,
      onSubmit: (values) => this.submit(values),
    });
    this.form.element.addEventListener('input', () => this.hold.typed());
    this.notice = h('div', { class: 'notice error', part: 'notice' });
    this.holdNote = h('p', { part: 'hold' });
    const heading = h('h2', { part: 'title', tabIndex: -1 }, l10n.t('yourDetails'));
    replaceChildren(
      this.view,
      h(
        'button',
        { type: 'button', class: 'link', part: 'back', onclick: () => this.backToPick() },
        `← ${l10n.t('back')}`,
      ),
      h('div', { class: 'header' }, heading),
      (this.summaryBox = this.summary()),
      this.holdNote,
      this.notice,
      this.form.element,
    );
    this.showHold();
    if (notice) notice();
    else heading.focus();
  }

  /** Holds the chosen time; one no longer free is refused like a booking (the nearest times). */
  takeHold() {
    const slot = this.chosenSlot;
    if (!slot) return;
    const rules = this.availability.snapshot.data.rules || {};
    this.holdLost = false;
    const body = {
      clinic_id: this.clinicId,
      appointment_type: this.typeId,
      practitioner_id: this.practitionerId,
      start: slot.start,
    };
    this.holding = this.hold.take(body, rules.hold_minutes ?? 5).catch(async (error) => {
      await this.refreshSnapshot();
      if (this.phase === 'details' && this.chosenSlot === slot) this.conflict(error.reason);
    });
  }

  /** The countdown, quiet: whole minutes, redrawn at most every 15 s, never announced. */
  showHold() {
    if (this.phase !== 'details') return;
    const { l10n } = this;
    const left = this.hold.msLeft();
    const n = Math.ceil(left / 60000);
    this.holdNote.className = this.holdLost ? 'notice calm' : 'hint hold';
    this.holdNote.textContent = left
      ? l10n.t(n > 1 ? 'holdMinutes' : 'holdMinute', { n })
      : this.holdLost
        ? l10n.t('holdRanOut')
        : '';
    if (this.chosenSlot && this.summaryWho !== this.bookedPractitioner()) this.replaceSummary(this.summary());
  }

  holdRanOut() {
    this.holdLost = true;
    this.showHold();
    if (this.phase === 'details') this.announce(this.l10n.t('holdRanOut'));
  }

  backToPick() {
    if (this.form) this.patient = this.form.values();
    const slot = this.chosenSlot;
    const released = this.hold.release();
    this.showPick({ focus: true });
    this.selectSlot(this.picker.selectedSlot);
    // a snapshot fetched while the time was held shows it taken: ask again once it is let go
    if (released && slot && !this.picker.selectedSlot)
      released
        .then(() => this.refreshSnapshot())
        .then(
          (fresh) => fresh && this.phase === 'pick' && !this.chosenSlot && this.showPick({ focus: true, reopen: slot }),
        );
  }

  showNotice(...content) {
    replaceChildren(this.notice, ...content);
  }

  async submit(values) {
    const { l10n } = this;
    this.patient = values;
    if (!this.chosenSlot) {
      // after a refusal: one of the offered times (or another day) must be chosen first
      const offered = this.notice.querySelector('input, button');
      if (offered) offered.focus();
      this.announceAlert(l10n.t('nearest'));
      return;
    }
    this.form.setBusy(true, l10n.t('confirming'));
    this.showNotice();
    try {
      await this.book(values);
    } finally {
      if (this.phase === 'details') this.form.setBusy(false, l10n.t('confirm'));
    }
  }

  async book(values) {
    await this.holding; // a hold still being taken; refused, the nearest times are shown
    if (!this.chosenSlot) return;
    const hold = this.hold.live();
    // the freshest occupancy first: a time taken since the page loaded is caught here,
    // without a round trip that would only be refused (a time we hold shows as taken there)
    if (!(await this.refreshSnapshot())) return this.failed(new ApiError('network', 'snapshot refresh failed'));
    if (!hold && !this.availability.findSlot(this.typeId, this.practitionerId, this.chosenSlot.start, Date.now()))
      return this.conflict('conflict');
    if (!this.attemptKey) this.attemptKey = idempotencyKey();
    let booking;
    try {
      booking = await this.api.book(
        {
          clinic_id: this.clinicId,
          appointment_type: this.typeId,
          practitioner_id: hold ? hold.practitioner_id : this.practitionerId,
          start: this.chosenSlot.start,
          hold_id: hold ? hold.id : undefined,
          hold_token: hold ? hold.token : undefined,
          // The language the widget speaks to the patient, for the clinic's messages to them;
          // sms_opt_in: whether they ticked the box for texts (the server texts no one else).
          patient: {
            name: values.name,
            email: values.email,
            phone: values.phone,
            language: this.l10n.language,
            sms_opt_in: values.smsOptIn === true,
          },
          notes: values.notes,
          answers: answersFor(questionsFor(this.availability.snapshot.data, this.typeId), values.answers),
        },
        this.attemptKey,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // only an unknown outcome may be retried under the same key; an answer is final
      if (error.kind !== 'network') this.attemptKey = null;
      if (error.kind === 'conflict') {
        await this.refreshSnapshot();
        return this.conflict(error.reason);
      }
      return this.failed(error);
    }
    this.attemptKey = null;
    this.hold.stop(); // the booking used it
    this.showDone(booking);
  }

  failed(error) {
    const { l10n } = this;
    if (error.kind === 'fields' && this.form.showServerErrors(error.fields)) {
      this.announceAlert(l10n.t('fixErrors'));
      return;
    }
    const key = { network: 'networkError', rate_limited: 'rateLimited' }[error.kind] || 'serverError';
    const message = error.kind === 'fields' || error.kind === 'not_found' ? error.message : l10n.t(key);
    this.showNotice(h('p', {}, message));
    this.announceAlert(message);
  }

  /** The time was refused at the last moment: say so, and offer the nearest free times. */
  conflict(reason) {
    const { l10n } = this;
    const taken = this.chosenSlot;
    const alternatives = this.availability.nearest(this.typeId, this.practitionerId, taken.start, Date.now());
    const headline = l10n.t(reason === 'conflict' || !reason ? 'slotTaken' : 'slotRefused');
    const titleId = uid('alternatives');
    const chooseDay = h(
      'button',
      { type: 'button', class: 'secondary', part: 'button', onclick: () => this.backToPick() },
      l10n.t('chooseAnotherDay'),
    );
    this.chosenSlot = null;
    this.picker.selectedSlot = null;
    this.hold.stop(); // whatever held it is gone
    this.holdLost = false;
    this.showHold();
    this.replaceSummary(this.summary(taken, { taken: true }));
    const content = [h('p', {}, h('strong', {}, headline))];
    if (alternatives.length) {
      content.push(
        h('p', { id: titleId }, l10n.t('nearest')),
        timeRadioGroup({
          slots: alternatives,
          labelFor: (slot) => `${l10n.shortDate(slot.start)} · ${l10n.time(slot.start)}`,
          onSelect: (slot) => this.takeAlternative(slot),
          labelledBy: titleId,
          part: 'times alternatives',
        }),
      );
    } else {
      content.push(h('p', {}, l10n.t('noAlternatives')));
    }
    content.push(h('div', { class: 'actions' }, chooseDay));
    this.showNotice(...content);
    this.announceAlert(`${headline} ${alternatives.length ? l10n.t('nearest') : l10n.t('noAlternatives')}`);
    const first = this.notice.querySelector('input');
    (first || chooseDay).focus();
  }

  takeAlternative(slot) {
    this.selectSlot(slot);
    this.picker.selectedSlot = slot;
    this.replaceSummary(this.summary());
    this.takeHold();
  }

  replaceSummary(fresh) {
    this.summaryBox.replaceWith(fresh);
    this.summaryBox = fresh;
  }

  // ---- step 3: confirmation -------------------------------------------------------------------

  showDone(booking, { announce = true } = {}) {
    const { l10n } = this;
    this.phase = 'done';
    this.lastBooking = booking;
    const clinicZone = booking.timezone || this.availability.clinicZone;
    const type = this.availability.appointmentType(booking.appointment_type) || { id: booking.appointment_type };
    const typeName = nameOf(type, l10n);
    const practitionerName = this.availability.practitionerName(
      booking.practitioner_id,
      l10n,
      booking.practitioner_name,
    );
    const heading = h('h2', { part: 'title', tabIndex: -1 }, l10n.t('booked'));
    const when = [l10n.dateTime(booking.start)];
    if (clinicZone !== this.patientZone)
      when.push(` (${l10n.time(booking.start, clinicZone)} ${l10n.t('clinicTime')})`);
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'done', part: 'confirmation' },
        h('div', { class: 'check', attrs: { 'aria-hidden': 'true' } }, '✓'),
        heading,
        h(
          'dl',
          { class: 'details' },
          row(l10n.t('confirmationNumber'), booking.confirmation_number),
          row(l10n.t('when'), when.join('')),
          row(l10n.t('appointment'), `${typeName} ${l10n.t('with', { name: practitionerName })}`),
          booking.meeting && row(l10n.t('videoMeeting'), meetingDetail(booking.meeting, l10n)),
        ),
        answerList(booking.answers, l10n),
        h(
          'div',
          { class: 'actions' },
          booking.ics_url &&
            h(
              'a',
              {
                class: 'button primary',
                part: 'button ics',
                href: this.api.resolve(booking.ics_url),
                download: `${booking.confirmation_number || 'appointment'}.ics`,
              },
              l10n.t('addToCalendar'),
            ),
          webCalendarButtons(
            calendarLinks(
              bookingEvent(booking, {
                typeName,
                practitionerName,
                clinicName: this.availability.clinic.name,
                l10n,
              }),
            ),
            l10n,
          ),
          booking.manage_url &&
            h(
              'a',
              {
                class: 'button',
                part: 'button manage',
                href: this.api.resolve(booking.manage_url),
                target: '_blank',
                rel: 'noopener',
              },
              l10n.t('manage'),
            ),
        ),
        h(
          'p',
          { class: 'hint', part: 'change-policy' },
          changePolicyText(this.availability.snapshot.data, booking.appointment_type, l10n),
        ),
        h('p', { class: 'hint' }, l10n.t('emailNote')),
        h('button', { type: 'button', class: 'link', onclick: () => this.bookAnother() }, l10n.t('bookAnother')),
      ),
    );
    if (!announce) return;
    heading.focus();
    this.announce(`${l10n.t('booked')}. ${l10n.t('confirmationNumber')} ${booking.confirmation_number}.`);
    this.emit('booking:confirmed', {
      id: booking.id,
      start: booking.start,
      end: booking.end,
      confirmationNumber: booking.confirmation_number,
      appointmentType: booking.appointment_type,
      practitionerId: booking.practitioner_id,
    });
  }

  async bookAnother() {
    this.chosenSlot = null;
    this.picker = null;
    await this.refreshSnapshot();
    this.showPick();
    this.heading.focus();
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
