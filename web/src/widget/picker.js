// The day-and-time picker shared by the booking widget and the manage page: a month grid
// of the patient's days and the chosen day's times, both answered from the in-page engine.
// A day click renders from the month already computed, so it never waits on anything.

import { CalendarGrid } from './calendar.js';
import { dateInZone, firstOfMonth, monthOf, offsetInZone } from './dates.js';
import { h, uid } from './dom.js';
import { focusRadioGroup, timeRadioGroup } from './times.js';

export class SlotPicker {
  /** announce(text): polite status; onSlot(slot|null): the chosen time changed. */
  constructor({ l10n, announce, onSlot, onInteraction = () => {} }) {
    this.l10n = l10n;
    this.announce = announce;
    this.onSlot = onSlot;
    this.onInteraction = onInteraction;
    this.calendar = new CalendarGrid({
      l10n,
      onSelect: (date) => this.selectDate(date, true),
      onMonthChange: (date) => this.showMonth(date, true),
    });
    this.timesTitleId = uid('times-title');
    this.timesTitle = h('h3', { class: 'times-title', id: this.timesTitleId });
    this.timesBody = h('div', { class: 'times-body' });
    this.element = h(
      'div',
      { class: 'picker' },
      h(
        'section',
        { class: 'panel calendar-panel', attrs: { 'aria-label': l10n.t('chooseDay') } },
        this.calendar.element,
      ),
      h(
        'section',
        { class: 'panel times-panel', attrs: { 'aria-labelledby': this.timesTitleId } },
        this.timesTitle,
        this.timesBody,
      ),
    );
    this.selectedDate = null;
    this.selectedSlot = null;
    this.days = new Map();
  }

  /**
   * Before the engine is there: the month of today in `zone` without free days (its
   * navigation off) and the times still loading; setSource() follows.
   */
  showPending(zone) {
    const today = dateInZone(Date.now(), zone);
    this.element.setAttribute('aria-busy', 'true');
    this.calendar.show({
      month: today,
      available: new Set(),
      selected: null,
      bounds: { first: today, last: today },
      today,
    });
    this.timesTitle.textContent = this.l10n.t('chooseDay');
    // the formatters the first times need (a fresh page makes each in about 1 ms), made while
    // the engine loads
    offsetInZone(Date.now(), zone);
    this.l10n.time(new Date().toISOString());
    this.timesBody.replaceChildren(
      h(
        'p',
        { class: 'loading', attrs: { role: 'status' } },
        h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
        this.l10n.t('loading'),
      ),
    );
  }

  /**
   * Shows availability for a type and practitioner. With `keep`, the chosen day and time
   * survive when the new data still lists them (a background snapshot refresh).
   */
  setSource(availability, typeId, practitionerId, { keep = false, nowMs = Date.now() } = {}) {
    this.element.removeAttribute('aria-busy');
    this.availability = availability;
    this.typeId = typeId;
    this.practitionerId = practitionerId;
    this.bounds = availability.bookableRange(typeId, nowMs);
    const previous = keep ? { date: this.selectedDate, slot: this.selectedSlot, month: this.month } : {};
    this.selectedDate = null;
    this.setSlot(null);
    const month =
      previous.month ||
      availability.firstMonthWithSlots(typeId, practitionerId, nowMs) ||
      firstOfMonth(this.bounds.first);
    this.showMonth(month, false);
    const days = this.days;
    if (previous.date && days.has(previous.date)) {
      this.selectDate(previous.date, false);
      const again = previous.slot && days.get(previous.date).find((s) => s.start === previous.slot.start);
      if (again) this.setSlot(again, false);
    } else if (!keep) {
      // the first free day opens by itself: its times are the first thing a patient sees
      const first = [...days.keys()].sort()[0];
      if (first) this.selectDate(first, false);
    }
    if (keep && previous.slot && !this.selectedSlot) this.onSlot(null);
  }

  showMonth(date, fromUser) {
    if (!this.availability) return; // still pending: the calendar cannot leave today's month
    if (fromUser) this.onInteraction();
    this.month = firstOfMonth(date);
    this.days = this.availability.month(this.typeId, this.practitionerId, this.month, Date.now());
    const today = dateInZone(Date.now(), this.availability.patientZone);
    const selected = this.selectedDate && monthOf(this.selectedDate) === monthOf(this.month) ? this.selectedDate : null;
    this.calendar.show({
      month: this.month,
      available: new Set(this.days.keys()),
      selected,
      bounds: this.bounds,
      today,
    });
    this.renderTimes();
    if (fromUser)
      this.announce(this.l10n.t('monthAnnounced', { month: this.l10n.monthTitle(this.month), n: this.days.size }));
  }

  selectDate(date, fromUser) {
    if (fromUser) this.onInteraction();
    this.selectedDate = date;
    if (!fromUser) this.calendar.markSelected(date);
    if (this.selectedSlot && this.selectedSlot.localDate !== date) this.setSlot(null);
    this.renderTimes();
    if (fromUser) {
      const count = (this.days.get(date) || []).length;
      this.announce(this.l10n.t('timesAnnounced', { n: count, date: this.l10n.longDate(date) }));
    }
  }

  renderTimes() {
    const { l10n } = this;
    const date = this.selectedDate && monthOf(this.selectedDate) === monthOf(this.month) ? this.selectedDate : null;
    const slots = date ? this.days.get(date) || [] : [];
    if (!date) {
      this.timesTitle.textContent = l10n.t('chooseDay');
      const hint = this.days.size
        ? 'pickDayFirst'
        : this.availability.firstMonthWithSlots(this.typeId, this.practitionerId, Date.now())
          ? 'noTimesThisMonth'
          : 'noTimesAtAll';
      this.timesBody.replaceChildren(h('p', { class: 'hint' }, l10n.t(hint)));
      return;
    }
    this.timesTitle.textContent = l10n.t('timesFor', { date: l10n.longDate(date) });
    this.group = timeRadioGroup({
      slots,
      labelFor: (slot) => l10n.time(slot.start),
      selectedStart: this.selectedSlot && this.selectedSlot.start,
      onSelect: (slot) => this.setSlot(slot, true),
      labelledBy: this.timesTitleId,
    });
    this.timesBody.replaceChildren(this.group);
  }

  /**
   * Opens the patient's day of the instant `startUtc` (when it is bookable) and chooses the
   * time starting then if the engine lists it. Returns that slot, else null (its day shown
   * when it has other times).
   */
  openAt(startUtc) {
    const date = dateInZone(Date.parse(startUtc), this.availability.patientZone);
    if (date < this.bounds.first || date > this.bounds.last) return null;
    this.showMonth(date, false);
    if (!this.days.has(date)) return null;
    this.selectDate(date, false);
    const slot = this.days.get(date).find((s) => s.start === startUtc) || null;
    if (slot) this.setSlot(slot);
    return slot;
  }

  setSlot(slot, fromUser = false) {
    this.selectedSlot = slot;
    if (slot && this.group) {
      const input = this.group.querySelector(`input[value="${slot.start}"]`);
      if (input) input.checked = true;
    }
    if (fromUser || slot) this.onSlot(slot);
  }

  /** Focus for a returning patient: the chosen time, else the calendar. */
  focus() {
    if (this.selectedSlot && this.group) focusRadioGroup(this.group);
    else this.calendar.focus();
  }
}
