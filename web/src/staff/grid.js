// The schedule grid: a time axis and one column per (date, practitioner), bookings as
// blocks coloured by status, working hours shaded (hours.js), busy times of connected
// calendars hatched, and a line at now. It is a pure function of its data, so a poll that
// brings new data simply draws it again; keyboard navigation is a roving tabindex over the
// blocks (arrows move by time in a column and across columns, Enter opens: they are buttons).

import { h } from '../widget/dom.js';
import { clinicNow, minutesOnDate } from './clock.js';
import { hhmmOf, hoursOn, minutesOf } from './hours.js';

export const PX_PER_MINUTE = 1.6;
const MANY_COLUMNS = 24; // at 5rem each, wider than a 1920 px screen
const DEFAULT_FIRST = 8 * 60;
const DEFAULT_LAST = 18 * 60;

/**
 * The grid element. `columns`: [{date, practitioner, label, group?}] (group: a header
 * spanning the columns that share it, the week view's days); `appointments` and `busy`
 * as GET /api/v1/schedule answers them; `l10n` from i18n.js; `onOpen(appointment)`.
 */
export function renderGrid({ columns, appointments, busy, config, l10n, nowMs, onOpen, showCancelled = false }) {
  const { t } = l10n;
  const zone = l10n.timeZone;
  const byColumn = new Map(columns.map((c, i) => [`${c.date}|${c.practitioner.id}`, i]));
  const blocks = columns.map(() => []);
  let first = DEFAULT_FIRST;
  let last = DEFAULT_LAST;
  for (const a of appointments) {
    if (a.status === 'cancelled' && !showCancelled) continue;
    const col = byColumn.get(`${a.date}|${a.practitioner_id}`);
    if (col === undefined) continue;
    const start = minutesOf(a.time);
    const end = Math.min(1440, start + a.duration_minutes);
    blocks[col].push({ a, start, end });
    first = Math.min(first, start);
    last = Math.max(last, end);
  }
  const hours = columns.map((c) => hoursOn(config, c.practitioner, c.date));
  for (const ranges of hours)
    for (const r of ranges) {
      first = Math.min(first, r.start);
      last = Math.max(last, r.end);
    }
  first = Math.floor(first / 60) * 60;
  last = Math.min(1440, Math.ceil(last / 60) * 60);
  const y = (minute) => `${(minute - first) * PX_PER_MINUTE}px`;
  const height = (from, to) => `${(to - from) * PX_PER_MINUTE}px`;
  const bodyHeight = height(first, last);

  const grid = h('div', { class: 'grid', attrs: { role: 'group', 'aria-label': t('scheduleLabel') } });
  // a week of several practitioners: narrow fixed tracks, and when they are wider than any
  // screen (`many`) the browser lays out only the columns in view (staff.css)
  const track = columns.length > 10 ? '5rem' : 'minmax(8rem, 1fr)';
  if (columns.length > MANY_COLUMNS) grid.classList.add('many');
  grid.style.gridTemplateColumns = `4.75rem repeat(${columns.length}, ${track})`;
  const grouped = columns.some((c) => c.group);
  let row = 1;
  if (grouped) {
    grid.append(h('div', { class: 'corner' }));
    for (let i = 0; i < columns.length;) {
      let j = i;
      while (j < columns.length && columns[j].group === columns[i].group) j++;
      const head = h('div', { class: 'group-head' }, columns[i].group);
      head.style.gridColumn = `${i + 2} / ${j + 2}`;
      grid.append(head);
      i = j;
    }
    row = 2;
  }
  const corner = h('div', { class: 'corner' });
  corner.style.gridRow = String(row);
  grid.append(corner);
  columns.forEach((c, i) => {
    const head = h('div', { class: 'col-head' }, c.label);
    head.style.gridRow = String(row);
    head.style.gridColumn = String(i + 2);
    grid.append(head);
  });
  const bodyRow = String(row + 1);

  const axis = h('div', { class: 'axis', attrs: { 'aria-hidden': 'true' } });
  axis.style.height = bodyHeight;
  axis.style.gridRow = bodyRow;
  for (let m = first; m < last; m += 60) {
    const label = h('span', {}, l10n.wallTime(`${String(m / 60).padStart(2, '0')}:00`));
    label.style.top = y(m);
    axis.append(label);
  }
  grid.append(axis);

  const now = clinicNow(nowMs, zone);
  const busyBy = new Map();
  for (const b of busy || []) {
    if (!busyBy.has(b.practitioner_id)) busyBy.set(b.practitioner_id, []);
    busyBy.get(b.practitioner_id).push([Date.parse(b.start), Date.parse(b.end)]);
  }
  let firstButton = null;
  columns.forEach((c, col) => {
    const body = h('div', { class: 'col', attrs: { role: 'group', 'aria-label': columnName(c) } });
    body.style.height = bodyHeight;
    body.style.gridRow = bodyRow;
    body.style.gridColumn = String(col + 2);
    if (!hours[col].length) body.classList.add('off');
    for (const r of hours[col]) {
      const shade = h('div', { class: 'hours' });
      shade.style.top = y(r.start);
      shade.style.height = height(r.start, r.end);
      body.append(shade);
    }
    for (const [s, e] of busyBy.get(c.practitioner.id) || []) {
      const span = minutesOnDate(s, e, c.date, zone);
      if (!span) continue;
      const el = h(
        'div',
        { class: 'busy', title: t('busyFromCalendar') },
        h('span', { class: 'sr-only' }, t('busyFromCalendar')),
      );
      el.style.top = y(Math.max(first, span.start));
      el.style.height = height(Math.max(first, span.start), Math.min(last, span.end));
      body.append(el);
    }
    const list = blocks[col].sort((p, q) => p.start - q.start || p.end - q.end);
    layoutLanes(list);
    for (const block of list) {
      const { a } = block;
      // the name is the visible text (WCAG 2.5.3: what is seen is what a voice user says)
      // and then what the block shows only by its place and colour
      const time = l10n.wallTime(a.time);
      const type = a.type || '';
      const more = t('blockMore', {
        end: l10n.wallTime(hhmmOf(block.end % 1440)), // the end the block is drawn to
        status: t(`status_${a.status}`),
        practitioner: c.practitioner.name,
      });
      const button = h(
        'button',
        {
          type: 'button',
          class: `booking status-${a.status}${block.end - block.start < 25 ? ' short' : ''}`, // short: one line
          tabIndex: -1,
          attrs: { 'data-id': a.id, 'data-col': col, 'aria-label': `${time} ${a.patient_name} ${type}${more}` },
          onclick: () => onOpen(a),
        },
        h('b', {}, time),
        ` ${a.patient_name} `, // the spaces make the visible text read as the name does
        h('span', {}, type),
      );
      button.style.top = y(block.start);
      button.style.height = height(block.start, Math.max(block.end, block.start + 12));
      if (block.lanes > 1) {
        button.style.left = `${(block.lane * 100) / block.lanes}%`;
        button.style.width = `${100 / block.lanes}%`;
      }
      body.append(button);
      if (!firstButton) firstButton = button;
    }
    if (c.date === now.date && now.minute >= first && now.minute <= last) {
      const line = h('div', { class: 'now', title: t('nowLine') });
      line.style.top = y(now.minute);
      body.append(line);
    }
    grid.append(body);
  });
  if (firstButton) firstButton.tabIndex = 0;
  grid.addEventListener('keydown', (event) => navigate(grid, event));
  grid.addEventListener('focusin', (event) => {
    if (!event.target.classList.contains('booking')) return;
    for (const b of grid.querySelectorAll('.booking[tabindex="0"]')) if (b !== event.target) b.tabIndex = -1;
    event.target.tabIndex = 0;
  });
  return grid;
}

const columnName = (c) => (c.group ? `${c.group}, ${c.label}` : c.label);

// Overlapping blocks of one column share its width: each cluster of overlaps gets as many
// lanes as it needs, each block the first lane free at its start.
function layoutLanes(list) {
  let cluster = [];
  let clusterEnd = -1;
  const flush = () => {
    const lanes = cluster.reduce((n, b) => Math.max(n, b.lane + 1), 0);
    for (const b of cluster) b.lanes = lanes;
    cluster = [];
  };
  const laneEnds = [];
  for (const b of list) {
    if (b.start >= clusterEnd && cluster.length) {
      flush();
      laneEnds.length = 0;
    }
    let lane = laneEnds.findIndex((end) => end <= b.start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = b.end;
    b.lane = lane;
    cluster.push(b);
    clusterEnd = Math.max(clusterEnd, b.end);
  }
  if (cluster.length) flush();
}

// Arrow keys: up/down to the previous/next block of the column, left/right to the block
// nearest in time of the next column that has any; Home/End: first/last of the column.
function navigate(grid, event) {
  const current = event.target.closest('.booking');
  if (!current) return;
  const buttons = [...grid.querySelectorAll('.booking')];
  const col = Number(current.dataset.col);
  const inColumn = (c) => buttons.filter((b) => Number(b.dataset.col) === c);
  const top = (b) => parseFloat(b.style.top);
  const mine = inColumn(col);
  const index = mine.indexOf(current);
  let target = null;
  if (event.key === 'ArrowDown') target = mine[index + 1];
  else if (event.key === 'ArrowUp') target = mine[index - 1];
  else if (event.key === 'Home') target = mine[0];
  else if (event.key === 'End') target = mine[mine.length - 1];
  else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const step = event.key === 'ArrowRight' ? 1 : -1;
    const columns = new Set(buttons.map((b) => Number(b.dataset.col)));
    for (let c = col + step; c >= 0 && c <= Math.max(...columns); c += step) {
      if (!columns.has(c)) continue;
      const there = inColumn(c);
      target = there.reduce((best, b) =>
        Math.abs(top(b) - top(current)) < Math.abs(top(best) - top(current)) ? b : best,
      );
      break;
    }
  } else return;
  event.preventDefault();
  if (target) {
    current.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }
}
