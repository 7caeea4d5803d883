// <clinic-booking-manage>: the page a confirmation's manage link opens. It shows one booking
// (found by id and secret token), and lets the patient cancel it or move it to another
// time picked with the same day-and-time picker and in-page engine as the booking widget.

import { ApiError } from '../widget/api.js';
import { ManageApi } from './api.js';
import { defaultServer, sharedEngine } from '../widget/assets.js';
import { Availability } from '../widget/availability.js';
import { h, replaceChildren, uid } from '../widget/dom.js';
import { localizer, pageLanguage } from '../widget/i18n.js';
import '../widget/details_strings.js'; // the widget's confirmation strings, some of which it shows
import './strings.js';
import { webCalendarButtons } from '../widget/calendar_buttons.js';
import { bookingEvent, calendarLinks } from '../widget/calendar_links.js';
import { meetingDetail } from '../widget/meeting.js';
import { SlotPicker } from '../widget/picker.js';
import { answerList } from '../widget/questions.js';
import { Shell } from '../widget/shell.js';
import { nameOf } from '../widget/text.js';

/** Every documented attribute (docs/widget.md); a change after connect loads again. */
const ATTRIBUTES = ['booking', 'token', 'server', 'lang', 'timezone'];

export class BookingManager extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  connectedCallback() {
    if (!this.shell) {
      this.shell = new Shell(this);
      this.view = this.shell.view;
    }
    this.load();
  }

  disconnectedCallback() {
    this.shell.end();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected && this.shell) this.load();
  }

  async load() {
    const { signal, current } = this.shell.begin();
    const params = new URLSearchParams(location.search);
    this.bookingId = this.getAttribute('booking') || params.get('booking') || '';
    this.token = this.getAttribute('token') || params.get('token') || '';
    this.patientZone = this.getAttribute('timezone') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.l10n = localizer(this.getAttribute('lang') || pageLanguage(this), this.patientZone);
    this.api = new ManageApi(this.getAttribute('server') || defaultServer());
    const { l10n } = this;
    replaceChildren(
      this.view,
      h(
        'div',
        { class: 'loading', attrs: { role: 'status' } },
        h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        l10n.t('loading'),
      ),
    );
    let booking, snapshot;
    try {
      booking = await this.api.booking(this.bookingId, this.token, signal);
      snapshot = await this.api.snapshot(booking.clinic_id, signal).catch(() => null);
    } catch (error) {
      if (!current()) return;
      const text = error instanceof ApiError && error.kind === 'not_found' ? l10n.t('notFound') : l10n.t('loadFailed');
      replaceChildren(this.view, h('div', { class: 'notice error', attrs: { role: 'alert' } }, h('p', {}, text)));
      return;
    }
    if (!current()) return; // superseded or disconnected meanwhile
    // the patient's own language unless the element names one (its answers are worded in it)
    const language = booking.patient && booking.patient.language;
    if (language && !this.getAttribute('lang')) this.l10n = localizer(language, this.patientZone);
    this.booking = booking;
    this.snapshot = snapshot;
    this.showBooking();
  }

  /** The clinic's name for an appointment type or practitioner in the page's language (the snapshot's). */
  nameIn(list, id, fallback = id) {
    const item = this.snapshot && (this.snapshot.data[list] || []).find((x) => x.id === id);
    return item ? nameOf(item, this.l10n) : fallback;
  }

  typeName(id) {
    return this.nameIn('appointment_types', id);
  }

  practitionerName(booking) {
    return this.nameIn('practitioners', booking.practitioner_id, booking.practitioner_name || booking.practitioner_id);
  }

  /** `message` in a success notice, or in a calm one (`tone: 'calm'`). */
  showBooking({ message = '', tone = 'success', focus = true } = {}) {
    const { l10n, booking } = this;
    const clinicZone = booking.timezone;
    const heading = h(
      'h2',
      { part: 'title', tabIndex: -1 },
      l10n.t('manageTitle'),
      h('span', { class: `status ${booking.status}` }, l10n.t(`status_${booking.status}`)),
    );
    let when = l10n.dateTime(booking.start);
    if (clinicZone && clinicZone !== this.patientZone)
      when += ` (${l10n.time(booking.start, clinicZone)} ${l10n.t('clinicTime')})`;
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
    // The server's rule: pending or confirmed, not started, before the clinic's deadline.
    const active = booking.can_change;
    const upcoming = ['pending', 'confirmed'].includes(booking.status) && Date.parse(booking.start) > Date.now();
    const tooLate = !active && upcoming && this.tooLateText();
    this.actions = h(
      'div',
      { class: 'actions' },
      h(
        'a',
        {
          class: 'button primary',
          part: 'button ics',
          href: this.api.icsUrl(booking.id, this.token),
          download: `${booking.confirmation_number}.ics`,
        },
        l10n.t(upcoming ? 'addToCalendar' : 'updateCalendar'),
      ),
      upcoming &&
        webCalendarButtons(
          calendarLinks(
            bookingEvent(booking, {
              typeName: this.typeName(booking.appointment_type),
              practitionerName: this.practitionerName(booking),
              clinic: this.snapshot && this.snapshot.data.clinic,
              l10n,
            }),
          ),
          l10n,
        ),
      active &&
        h(
          'button',
          { type: 'button', class: 'secondary', part: 'button reschedule', onclick: () => this.showReschedule() },
          l10n.t('reschedule'),
        ),
      active &&
        h(
          'button',
          { type: 'button', class: 'secondary', part: 'button cancel', onclick: () => this.askCancel() },
          l10n.t('cancel'),
        ),
    );
    replaceChildren(
      this.view,
      h('div', { class: 'header' }, heading),
      message && h('div', { class: `notice ${tone}`, attrs: { role: 'status' } }, h('p', {}, message)),
      tooLate && h('div', { class: 'notice', part: 'change-policy' }, h('p', {}, tooLate)),
      h(
        'dl',
        { class: 'details' },
        row(l10n.t('confirmationNumber'), booking.confirmation_number),
        row(l10n.t('when'), when),
        row(
          l10n.t('appointment'),
          `${this.typeName(booking.appointment_type)} ${l10n.t('with', { name: this.practitionerName(booking) })}`,
        ),
        booking.meeting && row(l10n.t('videoMeeting'), meetingDetail(booking.meeting, l10n)),
        booking.patient && booking.patient.name && row(l10n.t('name'), booking.patient.name),
      ),
      answerList(booking.answers, l10n),
      this.actions,
    );
    if (focus) heading.focus();
  }

  /** Past the change deadline: until when changes were possible, and whom to call. */
  tooLateText() {
    const { l10n, booking } = this;
    if (!booking.change_deadline) return '';
    return l10n.t(booking.clinic_phone ? 'tooLateToChangePhone' : 'tooLateToChange', {
      deadline: l10n.dateTimeInSentence(booking.change_deadline),
      phone: booking.clinic_phone,
    });
  }

  /** Whether `error` is a refusal of a cancel or reschedule that the page has now shown. */
  async showedRefusal(error) {
    return this.refusedAsTooLate(error) || this.refusedAsChanged(error);
  }

  /**
   * Whether `error` is the server refusing a change as too late (409 too_late_to_change: the
   * deadline passed while the page was open); if so the page shows the booking as it does
   * one loaded past its deadline (no change buttons, whom to call) and says so.
   */
  refusedAsTooLate(error) {
    if (!(error instanceof ApiError) || error.code !== 'too_late_to_change') return false;
    this.booking = {
      ...this.booking,
      can_change: false,
      change_deadline: error.deadline || this.booking.change_deadline,
      clinic_phone: error.clinicPhone === undefined ? this.booking.clinic_phone : error.clinicPhone,
    };
    this.showBooking();
    this.announce(this.tooLateText());
    return true;
  }

  /**
   * Whether `error` is the server refusing a change because the booking is no longer what
   * the page shows (409 `invalid_state`: the front desk cancelled it or marked it while the
   * page was open, or the appointment has started; a slot conflict is `slot_unavailable`,
   * too late for the clinic's policy `too_late_to_change`); if so the page loads the booking
   * again, shows it as it is now and says so. False when that load fails too: the caller
   * shows its own error.
   */
  async refusedAsChanged(error) {
    if (!(error instanceof ApiError) || error.code !== 'invalid_state') return false;
    const shown = this.booking;
    let booking;
    try {
      booking = await this.api.booking(this.bookingId, this.token);
    } catch {
      return false;
    }
    if (this.booking !== shown) return true; // the page loaded again meanwhile
    this.booking = booking;
    const message = this.l10n.t('bookingChanged');
    this.showBooking({ message, tone: 'calm' });
    this.announce(message);
    return true;
  }

  askCancel() {
    const { l10n } = this;
    const reasonId = uid('reason');
    const reason = h('textarea', { id: reasonId, rows: 2, maxLength: 255, part: 'input' });
    const error = h('div', { class: 'notice error' });
    const yes = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        part: 'button primary confirm-cancel',
        onclick: async () => {
          try {
            this.booking = await this.api.cancel(this.booking.id, this.token, reason.value.trim());
          } catch (e) {
            if (await this.showedRefusal(e)) return;
            const text = l10n.t(e.kind === 'network' ? 'networkError' : 'serverError');
            replaceChildren(error, h('p', {}, text));
            this.announce(text);
            return;
          }
          this.showBooking({ message: l10n.t('cancelled') });
          this.announce(l10n.t('cancelled'));
        },
      },
      l10n.t('cancelYes'),
    );
    const box = h(
      'div',
      { class: 'confirm-box', attrs: { role: 'group', 'aria-labelledby': `${reasonId}-q` } },
      h('h3', { id: `${reasonId}-q`, tabIndex: -1 }, l10n.t('cancelAsk')),
      error,
      h('div', { class: 'field' }, h('label', { htmlFor: reasonId }, l10n.t('cancelReason')), reason),
      h(
        'div',
        { class: 'actions' },
        yes,
        h('button', { type: 'button', class: 'secondary', onclick: () => this.showBooking() }, l10n.t('keep')),
      ),
    );
    this.actions.replaceWith(box);
    box.querySelector('h3').focus();
  }

  async showReschedule() {
    const { l10n, booking } = this;
    try {
      const [engine, snapshot] = await Promise.all([sharedEngine(), this.api.snapshot(booking.clinic_id)]);
      this.snapshot = snapshot;
      this.availability = new Availability(engine, snapshot, this.patientZone);
    } catch {
      this.showBooking({ message: l10n.t('loadFailed') });
      return;
    }
    const notice = h('div', { class: 'notice error', part: 'notice' });
    const confirm = h(
      'button',
      { type: 'button', class: 'primary', part: 'button primary', disabled: true },
      l10n.t('rescheduleConfirm'),
    );
    const picker = new SlotPicker({
      l10n,
      announce: (text) => this.announce(text),
      onSlot: (slot) => (confirm.disabled = !slot),
    });
    confirm.addEventListener('click', async () => {
      const slot = picker.selectedSlot;
      if (!slot) return;
      try {
        this.booking = await this.api.reschedule(booking.id, this.token, {
          start: slot.start,
          practitioner_id: booking.practitioner_id,
        });
      } catch (error) {
        if (await this.showedRefusal(error)) return;
        // a refusal as changed whose reload failed: the generic error, not "time taken"
        const taken = error.kind === 'conflict' && error.code !== 'invalid_state';
        const key = taken ? 'slotTaken' : error.kind === 'network' ? 'networkError' : 'serverError';
        replaceChildren(notice, h('p', {}, l10n.t(key)));
        this.announce(l10n.t(key));
        if (taken) {
          this.snapshot = await this.api.snapshot(booking.clinic_id).catch(() => this.snapshot);
          this.availability = new Availability(this.availability.engine, this.snapshot, this.patientZone);
          picker.setSource(this.availability, booking.appointment_type, booking.practitioner_id);
        }
        return;
      }
      const message = l10n.t('rescheduled', { date: l10n.dateTimeInSentence(this.booking.start) });
      this.showBooking({ message });
      this.announce(message);
    });
    const heading = h('h2', { part: 'title', tabIndex: -1 }, l10n.t('rescheduleTitle'));
    replaceChildren(
      this.view,
      h('button', { type: 'button', class: 'link', onclick: () => this.showBooking() }, `← ${l10n.t('back')}`),
      h(
        'div',
        { class: 'header' },
        heading,
        h(
          'p',
          { class: 'clinic-name' },
          `${this.typeName(booking.appointment_type)} ${l10n.t('with', { name: this.practitionerName(booking) })}`,
        ),
      ),
      notice,
      picker.element,
      h('div', { class: 'actions' }, confirm),
    );
    picker.setSource(this.availability, booking.appointment_type, booking.practitioner_id);
    heading.focus();
  }

  announce(text) {
    this.shell.announce(text);
  }
}
