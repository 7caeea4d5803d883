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

const offsetFormatters = new Map();

/**
 * The UTC offset (ms, local = UTC + offset) of the IANA zone `timeZone` at `instantMs`,
 * read from Intl's wall clock to the second.
 */
export function offsetInZone(instantMs, timeZone) {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    // en-US numeric: M/D/YYYY, HH:MM:SS; only the digits are read, in that order.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  const [month, day, year, hour, minute, second] = formatter.format(instantMs).match(/\d+/g).map(Number);
  const wall = new Date(0);
  wall.setUTCFullYear(year, month - 1, day); // years below 100 too, unlike Date.UTC
  wall.setUTCHours(hour, minute, second);
  return wall.getTime() - Math.floor(instantMs / 1000) * 1000;
}

const two = (n) => (n < 10 ? `0${n}` : `${n}`);
let utcDay = NaN;
let utcDayPrefix = '';

/**
 * The contract's form of a UTC instant, "2026-12-01T14:00:00Z" (toISOString with fractions
 * only when there are any). Per slot this is several times cheaper than toISOString.
 */
export function instantText(instantMs) {
  if (instantMs % 1000 !== 0) return new Date(instantMs).toISOString();
  const day = Math.floor(instantMs / DAY_MS);
  if (day !== utcDay) {
    utcDay = day;
    utcDayPrefix = `${formatDate(day * DAY_MS)}T`;
  }
  const seconds = (instantMs - day * DAY_MS) / 1000;
  const minutes = Math.floor(seconds / 60);
  return `${utcDayPrefix}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}:${two(seconds % 60)}Z`;
}

/** The engine accepts fractions, but whole seconds keep queries readable in logs. */
export const nowInstant = (nowMs = Date.now()) =>
  new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
