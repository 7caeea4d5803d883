// Plain calendar dates ("YYYY-MM-DD" strings) and the one conversion the widget needs:
// the patient's local date of a UTC instant. Date arithmetic runs on UTC midnights so no
// zone or DST can shift a day.

const DAY_MS = 86400000;

export function parseDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function formatDate(utcMidnightMs) {
  return new Date(utcMidnightMs).toISOString().slice(0, 10);
}

export function addDays(date, days) {
  return formatDate(parseDate(date) + days * DAY_MS);
}

/** Same day of month in another month, clamped to that month's length. */
export function addMonths(date, months) {
  const t = new Date(parseDate(date));
  const target = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1));
  const lastDay = daysInMonth(formatDate(target.getTime()));
  target.setUTCDate(Math.min(t.getUTCDate(), lastDay));
  return formatDate(target.getTime());
}

export const monthOf = (date) => date.slice(0, 7);
export const firstOfMonth = (date) => `${monthOf(date)}-01`;

export function daysInMonth(date) {
  const t = new Date(parseDate(date));
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
}

export const lastOfMonth = (date) => `${monthOf(date)}-${String(daysInMonth(date)).padStart(2, '0')}`;

/** 0 = Sunday ... 6 = Saturday. */
export const weekday = (date) => new Date(parseDate(date)).getUTCDay();

export const daysBetween = (from, to) => Math.round((parseDate(to) - parseDate(from)) / DAY_MS);

const dateFormatters = new Map();

/** The local date ("YYYY-MM-DD") of `instantMs` in the IANA zone `timeZone`. */
export function dateInZone(instantMs, timeZone) {
  let formatter = dateFormatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, formatter);
  }
  return formatter.format(instantMs);
}

/** The engine accepts fractions, but whole seconds keep queries readable in logs. */
export const nowInstant = (nowMs = Date.now()) => new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
