// The steps after a time is chosen: the patient's details while the time is held for them
// (hold.js), the booking, a refusal with the nearest free times, and the confirmation. They
// are not in the widget's first script: web/build.mjs makes this file a second chunk, which
// <clinic-booking> loads right after it first shows times (details_chunk.js), and these
// methods then join the element's own (`this` is the <clinic-booking> element).

import { ApiError, idempotencyKey } from './api.js';
import { h, replaceChildren, uid } from './dom.js';
import { meetingDetail } from './meeting.js';
import { PatientForm } from './form.js';
import { Hold } from './hold.js';
import { changePolicyText } from './policy.js';
import { answerList, answersFor, questionsFor } from './questions.js';
import { nameOf } from './text.js';
import { bookingEvent, calendarLinks } from './calendar_links.js';
import { webCalendarButtons } from './calendar_buttons.js';
import { timeRadioGroup } from './times.js';
import './details_strings.js';

/**
 * The nearest free times offered instead of one that is gone ("Tue, Jan 12 · 9:00 AM"), as a
 * radio group labelled by the element `labelledBy`; onSelect(slot).
 */
const alternativeTimes = ({ slots, l10n, onSelect, labelledBy }) =>
  timeRadioGroup({
    slots,
    labelFor: (slot) => `${l10n.shortDate(slot.start)} · ${l10n.time(slot.start)}`,
    onSelect,
    labelledBy,
    part: 'times alternatives',
  });

class DetailsSteps {
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
    if (!this.hold)
      this.hold = new Hold(this.api, { onChange: () => this.showHold(), onRanOut: () => this.holdRanOut() });
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
          // where a deep link came from (deep_link.js): {source, booking_referral}, the keys given
          referral: this.referral || undefined,
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
        alternativeTimes({
          slots: alternatives,
          l10n,
          onSelect: (slot) => this.takeAlternative(slot),
          labelledBy: titleId,
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

  /** A deep link's time the engine no longer lists (element.js): a polite note and the nearest free times. */
  showLinkedSlotGone(start, { quiet = false } = {}) {
    const { l10n } = this;
    this.linkedSlotGone = start; // drawn again in another language (rerender)
    let nearest = [];
    try {
      nearest = this.availability.nearest(this.typeId, this.practitionerId, start, Date.now());
    } catch {
      // a start too far off for the engine to query: no times near it
    }
    const text = l10n.t(nearest.length ? 'linkedSlotGone' : 'linkedSlotGoneNone');
    const titleId = uid('linked');
    const offered =
      nearest.length > 0 &&
      alternativeTimes({
        slots: nearest,
        l10n,
        onSelect: (slot) => this.picker.openAt(slot.start),
        labelledBy: titleId,
      });
    this.linkNotice = h('div', { class: 'notice calm', part: 'notice' }, h('p', { id: titleId }, text), offered);
    this.picker.element.before(this.linkNotice);
    if (quiet) return;
    this.announce(text);
    if (offered) offered.querySelector('input').focus();
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
                clinic: this.availability.clinic,
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
}

/** Gives `elementClass` (BookingWidget) the methods of the steps after a time is chosen. */
export function addDetailsSteps(elementClass) {
  for (const name of Object.getOwnPropertyNames(DetailsSteps.prototype)) {
    if (name !== 'constructor')
      Object.defineProperty(
        elementClass.prototype,
        name,
        Object.getOwnPropertyDescriptor(DetailsSteps.prototype, name),
      );
  }
}
