// A month grid following the WAI-ARIA date picker grid pattern: one tabbable day (roving
// tabindex), arrows move by day and week, Home/End to the week's ends, PageUp/PageDown by
// month (with Shift by year), Enter/Space choose. Days without free times stay focusable
// so arrow keys never skip silently, but they are aria-disabled and cannot be chosen.

import { addDays, addMonths, daysInMonth, firstOfMonth, lastOfMonth, monthOf, weekday } from './dates.js';
import { h, uid } from './dom.js';

export class CalendarGrid {
  /**
   * onSelect(date): a day with times was chosen. onMonthChange(dateInNewMonth): the grid
   * needs another month; the owner answers by calling show() synchronously.
   */
  constructor({ l10n, onSelect, onMonthChange }) {
    this.l10n = l10n;
    this.onSelect = onSelect;
    this.onMonthChange = onMonthChange;
    const titleId = uid('month');
    this.title = h('h3', { class: 'month-title', id: titleId }); // changes are announced by the owner
    this.prev = h(
      'button',
      {
        type: 'button',
        class: 'icon-button',
        part: 'button month-nav',
        attrs: { 'aria-label': l10n.t('previousMonth') },
        onclick: () => this.changeMonth(-1),
      },
      '‹',
    );
    this.next = h(
      'button',
      {
        type: 'button',
        class: 'icon-button',
        part: 'button month-nav',
        attrs: { 'aria-label': l10n.t('nextMonth') },
        onclick: () => this.changeMonth(1),
      },
      '›',
    );
    this.body = h('tbody');
    this.grid = h(
      'table',
      {
        class: 'grid',
        attrs: { role: 'grid', 'aria-labelledby': titleId },
        onkeydown: (e) => this.onKey(e),
        onclick: (e) => this.onClick(e),
      },
      this.head(),
      this.body,
    );
    this.element = h(
      'div',
      { class: 'calendar', part: 'calendar' },
      h('div', { class: 'calendar-head' }, this.prev, this.title, this.next),
      this.grid,
    );
    this.cells = new Map();
    this.dayNames = new Map(); // date -> its long name, for the screen reader's text
  }

  head() {
    // any week works for weekday names; 2023-01-01 was a Sunday
    const names = [];
    for (let i = 0; i < 7; i++) {
      const date = addDays('2023-01-01', (this.l10n.firstDayOfWeek + i) % 7);
      names.push(
        h(
          'th',
          { scope: 'col' },
          h('span', { attrs: { 'aria-hidden': 'true' } }, this.l10n.weekdayShort(date)),
          h('span', { class: 'sr-only' }, this.l10n.weekdayLong(date)),
        ),
      );
    }
    return h('thead', {}, h('tr', {}, names));
  }

  /**
   * Draws the month of `month` (any date in it). `available` is a Set of dates with times;
   * `bounds` {first, last} limits navigation; `selected` is the chosen date or null.
   */
  show({ month, available, selected, bounds, today }) {
    const sameMonth = firstOfMonth(month) === this.month && this.cells.size > 0;
    this.month = firstOfMonth(month);
    this.available = available;
    this.selected = selected;
    this.bounds = bounds;
    this.title.textContent = this.l10n.monthTitle(this.month);
    this.prev.disabled = this.month <= firstOfMonth(bounds.first);
    this.next.disabled = lastOfMonth(this.month) >= lastOfMonth(bounds.last);
    if (sameMonth) {
      // the days of the month drawn already (before the engine was there): marked anew
      for (const [date, cell] of this.cells) this.markDay(cell, date, today);
    } else {
      this.drawMonth(today);
    }
    const inMonth = (d) => d && monthOf(d) === monthOf(this.month);
    const firstFree = [...this.cells.keys()].find((d) => available.has(d));
    this.setFocusable(
      inMonth(this.focused)
        ? this.focused
        : inMonth(selected)
          ? selected
          : firstFree || (inMonth(today) ? today : this.month),
    );
  }

  drawMonth(today) {
    this.cells.clear();
    const rows = [];
    let row = [];
    const lead = (weekday(this.month) - this.l10n.firstDayOfWeek + 7) % 7;
    for (let i = 0; i < lead; i++) row.push(h('td', { class: 'blank' }));
    const count = daysInMonth(this.month);
    for (let day = 1; day <= count; day++) {
      const date = `${monthOf(this.month)}-${String(day).padStart(2, '0')}`;
      const cell = h(
        'td',
        { tabIndex: -1, attrs: { 'data-date': date } },
        h('span', { attrs: { 'aria-hidden': 'true' } }, String(day)),
        h('span', { class: 'sr-only' }),
      );
      this.markDay(cell, date, today);
      this.cells.set(date, cell);
      row.push(cell);
      if (row.length === 7) {
        rows.push(h('tr', {}, row));
        row = [];
      }
    }
    if (row.length) {
      while (row.length < 7) row.push(h('td', { class: 'blank' }));
      rows.push(h('tr', {}, row));
    }
    this.body.replaceChildren(...rows);
  }

  /** A day's cell as `this.available` and `this.selected` have it. */
  markDay(cell, date, today) {
    const free = this.available.has(date);
    cell.className = `day${free ? ' free' : ''}${date === today ? ' today' : ''}`;
    cell.setAttribute('part', free ? 'day day-available' : 'day');
    cell.setAttribute('aria-selected', date === this.selected ? 'true' : 'false');
    if (free) cell.removeAttribute('aria-disabled');
    else cell.setAttribute('aria-disabled', 'true');
    if (date === today) cell.setAttribute('aria-current', 'date');
    else cell.removeAttribute('aria-current');
    if (!this.dayNames.has(date)) this.dayNames.set(date, this.l10n.longDate(date));
    cell.lastChild.textContent = `${this.dayNames.get(date)}, ${this.l10n.t(free ? 'available' : 'unavailable')}`;
  }

  setFocusable(date) {
    for (const cell of this.cells.values()) cell.tabIndex = -1;
    const cell = this.cells.get(date);
    if (cell) cell.tabIndex = 0;
    this.focused = date;
    return cell;
  }

  /** Moves the roving focus to `date`, switching months when it lies outside this one. */
  moveTo(date) {
    const min = firstOfMonth(this.bounds.first);
    const max = lastOfMonth(this.bounds.last);
    if (date < min) date = min;
    if (date > max) date = max;
    this.focused = date;
    if (monthOf(date) !== monthOf(this.month)) this.onMonthChange(date);
    const cell = this.setFocusable(date);
    if (cell) cell.focus();
  }

  changeMonth(delta) {
    this.focused = null;
    this.onMonthChange(firstOfMonth(addMonths(this.month, delta)));
  }

  /** Shows `date` as the chosen day (and the tabbable one) without telling the owner. */
  markSelected(date) {
    this.selected = date;
    for (const [d, cell] of this.cells) cell.setAttribute('aria-selected', d === date ? 'true' : 'false');
    if (this.cells.has(date)) this.setFocusable(date);
  }

  choose(date) {
    if (!this.available.has(date)) return;
    this.markSelected(date);
    this.onSelect(date);
  }

  onClick(event) {
    const cell = event.target.closest('td[data-date]');
    if (cell) this.choose(cell.dataset.date);
  }

  onKey(event) {
    const from = this.focused;
    if (!from) return;
    const dow = (weekday(from) - this.l10n.firstDayOfWeek + 7) % 7;
    const moves = {
      ArrowRight: () => addDays(from, 1),
      ArrowLeft: () => addDays(from, -1),
      ArrowDown: () => addDays(from, 7),
      ArrowUp: () => addDays(from, -7),
      Home: () => addDays(from, -dow),
      End: () => addDays(from, 6 - dow),
      PageUp: () => addMonths(from, event.shiftKey ? -12 : -1),
      PageDown: () => addMonths(from, event.shiftKey ? 12 : 1),
    };
    if (moves[event.key]) {
      event.preventDefault();
      this.moveTo(moves[event.key]());
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.choose(from);
    }
  }

  /** Puts keyboard focus on the grid's tabbable day. */
  focus() {
    const cell = this.cells.get(this.focused);
    if (cell) cell.focus();
  }
}
