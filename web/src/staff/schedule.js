// The day and week views: the toolbar (previous / today / next, a date, one practitioner
// or all, cancelled shown or not), the legend and the grid, redrawn whenever the poller
// brings a changed schedule. Focus inside the grid survives a redraw (the block of the
// same booking is focused again), so keyboard users are not thrown out by a poll.

import { addDays, weekday } from '../widget/dates.js';
import { h } from '../widget/dom.js';
import { notice } from './form.js';
import { renderGrid } from './grid.js';
import { openBooking } from './panel.js';
import { SchedulePoller } from './poller.js';

const STATUSES = ['pending', 'confirmed', 'completed', 'no_show', 'cancelled'];

/** Monday of `date`'s week (clinic dates). */
export const weekStart = (date) => addDays(date, -((weekday(date) + 6) % 7));

export function scheduleView(kind) {
  return async (app, main, route, onDispose) => {
    const { t, l10n } = app;
    const date = route.date || app.today();
    const own = app.user.role === 'practitioner' ? app.user.practitioner_id : '';
    const only = own || route.params.get('p') || '';
    const showCancelled = route.params.get('cancelled') === '1';
    const first = kind === 'week' ? weekStart(date) : date;
    const last = kind === 'week' ? addDays(first, 6) : date;
    const step = kind === 'week' ? 7 : 1;
    const practitioners = app.practitioners().filter((p) => !only || p.id === only);
    const params = (changes) => ({ p: only && !own ? only : '', cancelled: showCancelled ? '1' : '', ...changes });
    const goTo = (d, changes = {}) => app.go(kind, { date: d, params: params(changes) });

    const dates = Array.from({ length: step }, (_, i) => addDays(first, i));
    const columns = [];
    for (const d of dates)
      for (const p of practitioners)
        columns.push(
          kind === 'week'
            ? { date: d, practitioner: p, group: l10n.shortDate(d), label: p.name }
            : { date: d, practitioner: p, label: p.name },
        );

    const title = h(
      'h1',
      { tabIndex: -1 },
      kind === 'week'
        ? t('scheduleTitleWeek', { date: l10n.longDate(first) })
        : t('scheduleTitleDay', { date: l10n.longDate(date) }),
    );
    const dateInput = h('input', { type: 'date', id: 'schedule-date', value: date });
    dateInput.addEventListener('change', () => dateInput.value && goTo(dateInput.value));
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', class: 'button', onclick: () => goTo(addDays(date, -step)) },
          `‹ ${t(kind === 'week' ? 'previousWeek' : 'previousDay')}`,
        ),
        h('button', { type: 'button', class: 'button', onclick: () => goTo(app.today()) }, t('today')),
        h(
          'button',
          { type: 'button', class: 'button', onclick: () => goTo(addDays(date, step)) },
          `${t(kind === 'week' ? 'nextWeek' : 'nextDay')} ›`,
        ),
      ),
      h('div', { class: 'inline-field' }, h('label', { attrs: { for: 'schedule-date' } }, t('date')), dateInput),
    );
    if (!own) {
      const choose = h(
        'select',
        { id: 'schedule-practitioner', onchange: (e) => goTo(date, { p: e.target.value }) },
        h('option', { value: '' }, t('allPractitioners')),
        app.practitioners().map((p) => h('option', { value: p.id, selected: p.id === only }, p.name)),
      );
      toolbar.append(
        h(
          'div',
          { class: 'inline-field' },
          h('label', { attrs: { for: 'schedule-practitioner' } }, t('practitioner')),
          choose,
        ),
      );
    }
    const cancelled = h('input', { type: 'checkbox', id: 'schedule-cancelled', checked: showCancelled });
    cancelled.addEventListener('change', () => goTo(date, { cancelled: cancelled.checked ? '1' : '' }));
    toolbar.append(
      h(
        'div',
        { class: 'inline-field check' },
        cancelled,
        h('label', { attrs: { for: 'schedule-cancelled' } }, t('showCancelled')),
      ),
    );

    const legend = h(
      'ul',
      { class: 'legend', attrs: { 'aria-label': t('legend') } },
      STATUSES.map((s) =>
        h('li', {}, h('span', { class: `swatch status-${s}`, attrs: { 'aria-hidden': 'true' } }), t(`status_${s}`)),
      ),
      h('li', {}, h('span', { class: 'swatch hours-swatch', attrs: { 'aria-hidden': 'true' } }), t('workingHours')),
      h('li', {}, h('span', { class: 'swatch busy-swatch', attrs: { 'aria-hidden': 'true' } }), t('busyFromCalendar')),
    );
    const holder = h('div', { class: 'grid-scroll', attrs: { 'aria-busy': 'true' } }, h('p', {}, t('loading')));
    const status = h('div', { class: 'status-line', attrs: { 'aria-live': 'polite' } });
    main.append(title, toolbar, legend, status, holder);

    let data = null;
    const draw = () => {
      const focusedId = holder.contains(document.activeElement) ? document.activeElement.dataset.id : null;
      const grid = renderGrid({
        columns,
        appointments: data.appointments,
        busy: data.busy,
        config: app.config,
        l10n,
        nowMs: Date.now(),
        showCancelled,
        onOpen: (a) => open(a),
      });
      holder.replaceChildren(grid);
      holder.removeAttribute('aria-busy');
      if (!grid.querySelector('.booking')) holder.append(h('p', { class: 'empty' }, t('noBookings')));
      if (focusedId) {
        const again = grid.querySelector(`.booking[data-id="${CSS.escape(focusedId)}"]`);
        if (again) {
          for (const b of grid.querySelectorAll('.booking[tabindex="0"]')) b.tabIndex = -1;
          again.tabIndex = 0;
          again.focus();
        }
      }
    };
    const poller = new SchedulePoller(
      app.api,
      { clinic_id: app.clinic.id, start_date: first, end_date: last, practitioner_id: only },
      (answer) => {
        // User Timing marks: bench/web/staff_bench.mjs reads how long data -> drawn -> painted takes
        performance.mark('staff.schedule.data');
        data = answer;
        status.replaceChildren();
        draw();
        performance.measure('staff.schedule.draw', 'staff.schedule.data');
        requestAnimationFrame(() =>
          setTimeout(() => performance.measure('staff.schedule.painted', 'staff.schedule.data')),
        );
      },
      { onError: (error) => status.replaceChildren(notice('error', app.errorText(error))) },
    );
    onDispose(() => poller.stop());
    // the now line moves even when nothing else changes
    const tick = setInterval(() => data && !holder.contains(document.activeElement) && draw(), 60000);
    onDispose(() => clearInterval(tick));

    function open(appointment) {
      openBooking(app, appointment, {
        onChange: () => poller.refresh(),
        // the same booking's block if it is still shown (moved away: the grid's current one)
        restoreFocus: () =>
          holder.querySelector(`.booking[data-id="${CSS.escape(appointment.id)}"]`) ||
          holder.querySelector('.booking[tabindex="0"]') ||
          title,
      });
    }
    await poller.start();
  };
}
