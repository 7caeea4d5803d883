// Instants as the schedule places them: a clinic date and minutes since the clinic's
// midnight. One offset lookup per instant (the widget's offsetInZone), so a thousand
// bookings cost a thousand cheap reads, not a thousand formatted strings.

import { dateInZone, offsetInZone, parseDate } from '../widget/dates.js';

const DAY_MS = 86400000;

/** The clinic wall clock of `instantMs`, as milliseconds of a UTC timeline. */
export const wallMs = (instantMs, zone) => instantMs + offsetInZone(instantMs, zone);

/** The part of [startMs, endMs) (instants) that falls on clinic `date`, in minutes; null if none. */
export function minutesOnDate(startMs, endMs, date, zone) {
  const day = parseDate(date);
  const from = Math.max(wallMs(startMs, zone), day);
  const to = Math.min(wallMs(endMs, zone), day + DAY_MS);
  if (to <= from) return null;
  return { start: (from - day) / 60000, end: (to - day) / 60000 };
}

/** Now, as {date, minute} of the clinic. */
export function clinicNow(nowMs, zone) {
  const date = dateInZone(nowMs, zone);
  return { date, minute: (wallMs(nowMs, zone) - parseDate(date)) / 60000 };
}
