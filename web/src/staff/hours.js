// Working hours as the schedule shades them: a date's override if it has one, else the
// weekday's hours; none on a closed date. This only draws the configuration; whether a time
// can be booked is the engine's answer alone (notice, horizon, buffers, busy).

import { weekday } from '../widget/dates.js';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Minutes since midnight of "HH:MM" ("24:00" is 1440). */
export const minutesOf = (hhmm) => {
  const [h, m] = String(hhmm).split(':').map(Number);
  return h * 60 + m;
};

export const hhmmOf = (minutes) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** [{start, end}] in minutes for `practitioner` on clinic date `date`. */
export function hoursOn(config, practitioner, date) {
  if ((config.clinic.closed_dates || []).includes(date)) return [];
  const override = (practitioner.overrides || []).find((o) => o.date === date);
  const ranges = override ? override.hours : (practitioner.weekly_hours || {})[WEEKDAYS[weekday(date)]] || [];
  return ranges.map((r) => ({ start: minutesOf(r.start), end: minutesOf(r.end) }));
}

/** "09:00-12:00, 13:00-17:00" <-> [{start:"09:00", end:"12:00"}, ...]; null when unreadable. */
export function parseRanges(text) {
  const parts = String(text)
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const ranges = [];
  for (const part of parts) {
    const m = /^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return null;
    const pad = (h, mm) => `${h.padStart(2, '0')}:${mm}`;
    ranges.push({ start: pad(m[1], m[2]), end: pad(m[3], m[4]) });
  }
  return ranges;
}

export const formatRanges = (ranges) => (ranges || []).map((r) => `${r.start}-${r.end}`).join(', ');
