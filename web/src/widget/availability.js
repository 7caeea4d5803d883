// What the patient can book, computed in the page by the WebAssembly engine from one clinic
// snapshot. The engine answers in clinic dates; the patient sees their own dates, so a
// month is queried with a margin of two days either side (zones differ by at most 26 h)
// and its slots are regrouped by the patient's local date. The rules (booking horizon,
// longest query range) are the engine's: this file asks, it does not restate them.

import {
  addDays,
  dateInZone,
  firstOfMonth,
  formatDate,
  instantText,
  lastOfMonth,
  monthOf,
  nowInstant,
  offsetInZone,
} from './dates.js';
import { nameOf } from './text.js';

const DAY_MS = 86400000;

// "HH:MM" of minutes since midnight, one string per minute made once.
let hhmmTable = null;
function hhmm(minute) {
  if (!hhmmTable) {
    hhmmTable = Array.from(
      { length: 1440 },
      (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
    );
  }
  return hhmmTable[minute];
}

/**
 * The patient-local dates of one clinic day's slot starts (`from`..`to`-1, in start order)
 * into `out`, as dateInZone() gives them. Intl is asked per slot only on a day whose first
 * and last start have different UTC offsets in the patient's zone. Otherwise no offset
 * change lies between them (no zone in the tz database changes its offset and back within
 * 26 hours, checked for every zone), so each date is the start plus that one offset.
 */
function patientDates(startMs, from, to, zone, out) {
  const offset = offsetInZone(startMs[from], zone);
  if (offsetInZone(startMs[to - 1], zone) !== offset) {
    for (let i = from; i < to; i++) out[i] = dateInZone(startMs[i], zone);
    return;
  }
  let day = NaN;
  let date = '';
  for (let i = from; i < to; i++) {
    const localDay = Math.floor((startMs[i] + offset) / DAY_MS);
    if (localDay !== day) {
      day = localDay;
      date = formatDate(day * DAY_MS);
    }
    out[i] = date;
  }
}

/**
 * One free time as the widget uses it. The dates it is grouped by (the patient's localDate,
 * the clinicDate) are made up front; the rest is read from the listing's columns when asked,
 * since a month lists thousands of slots and the first paint shows one day's.
 */
class FreeSlot {
  #table;
  #index;
  #start = null;

  constructor(table, index, clinicDate, localDate) {
    this.localDate = localDate;
    this.clinicDate = clinicDate;
    this.#table = table;
    this.#index = index;
  }

  /** The contract's start_utc. */
  get start() {
    return (this.#start ??= instantText(this.#table.slotStartMs[this.#index]));
  }

  /** The contract's end_utc. */
  get end() {
    return instantText(this.#table.slotEndMs[this.#index]);
  }

  /** The clinic's wall-clock start, "HH:MM". */
  get clinicStart() {
    return hhmm(this.#table.slotStartMinute[this.#index]);
  }

  /** Who offers it, sorted by id. */
  get practitionerIds() {
    const table = this.#table;
    const first = table.slotFirstPractitioner[this.#index];
    const ids = new Array(table.slotPractitionerCount[this.#index]);
    for (let k = 0; k < ids.length; k++) ids[k] = table.practitionerIds[table.practitioners[first + k]];
    return ids;
  }
}

export class Availability {
  /** `snapshot` is `{text, data}`: the exact text goes to the engine (it caches by text). */
  constructor(engine, snapshot, patientZone) {
    this.engine = engine;
    this.snapshot = snapshot;
    this.patientZone = patientZone;
    this.clinicZone = snapshot.data.clinic.timezone;
    this.monthCache = new Map();
  }

  get clinic() {
    return this.snapshot.data.clinic;
  }

  appointmentTypes() {
    return this.snapshot.data.appointment_types || [];
  }

  appointmentType(typeId) {
    return this.appointmentTypes().find((type) => type.id === typeId);
  }

  practitionersFor(typeId) {
    return (this.snapshot.data.practitioners || []).filter((p) => (p.appointment_types || []).includes(typeId));
  }

  /** The practitioner's name in `l10n`'s language (text.js); `fallback` (else the id) for one unknown. */
  practitionerName(id, l10n, fallback = id) {
    const practitioner = (this.snapshot.data.practitioners || []).find((p) => p.id === id);
    return practitioner ? nameOf(practitioner, l10n) : fallback;
  }

  /** The patient-local dates from today to the last bookable day, for month navigation. */
  bookableRange(typeId, nowMs) {
    const lastClinicDate = this.engine.lastBookableDate(this.snapshot.text, typeId, nowInstant(nowMs));
    return {
      first: dateInZone(nowMs, this.patientZone),
      // the last clinic date's evening may already be the next day for the patient
      last: addDays(lastClinicDate, 1),
      lastClinicDate,
    };
  }

  /** Slots (FreeSlot) between two clinic dates (inclusive), flattened, in start order. */
  slotsBetween(typeId, practitionerId, startDate, endDate, nowMs) {
    const table = this.engine.slotTable(this.snapshot.text, {
      appointment_type: typeId,
      practitioner_id: practitionerId || 'any',
      start_date: startDate,
      end_date: endDate,
      now: nowInstant(nowMs),
    });
    const localDates = new Array(table.slotStartMs.length);
    const slots = [];
    for (let day = 0; day < table.dayDate.length; day++) {
      const clinicDate = formatDate(table.dayDate[day] * DAY_MS);
      const first = table.dayFirstSlot[day];
      const end = first + table.daySlotCount[day];
      patientDates(table.slotStartMs, first, end, this.patientZone, localDates);
      for (let i = first; i < end; i++) slots.push(new FreeSlot(table, i, clinicDate, localDates[i]));
    }
    return slots;
  }

  /** Map of patient-local date -> slots for the month ("YYYY-MM") of `anyDateInMonth`. */
  month(typeId, practitionerId, anyDateInMonth, nowMs) {
    const month = monthOf(anyDateInMonth);
    const key = `${typeId}|${practitionerId}|${month}`;
    if (this.monthCache.has(key)) return this.monthCache.get(key);
    const range = this.bookableRange(typeId, nowMs);
    const days = new Map();
    const start = addDays(firstOfMonth(anyDateInMonth), -2);
    let end = addDays(lastOfMonth(anyDateInMonth), 2);
    if (end > range.lastClinicDate) end = range.lastClinicDate;
    if (start <= end) {
      for (const slot of this.slotsBetween(typeId, practitionerId, start, end, nowMs)) {
        if (monthOf(slot.localDate) !== month) continue;
        if (!days.has(slot.localDate)) days.set(slot.localDate, []);
        days.get(slot.localDate).push(slot);
      }
    }
    this.monthCache.set(key, days);
    return days;
  }

  /** The first month, from today on, that has a free slot; null when none in the window. */
  firstMonthWithSlots(typeId, practitionerId, nowMs) {
    const range = this.bookableRange(typeId, nowMs);
    for (let date = firstOfMonth(range.first); date <= range.last; date = firstOfMonth(addDays(lastOfMonth(date), 1))) {
      if (this.month(typeId, practitionerId, date, nowMs).size > 0) return date;
    }
    return null;
  }

  /** The slot starting at `startUtc` if the snapshot still lists it, else null. */
  findSlot(typeId, practitionerId, startUtc, nowMs) {
    const clinicDate = dateInZone(Date.parse(startUtc), this.clinicZone);
    return (
      this.slotsBetween(typeId, practitionerId, clinicDate, clinicDate, nowMs).find((s) => s.start === startUtc) || null
    );
  }

  /** Up to `count` free slots nearest in time to `startUtc`, in start order. */
  nearest(typeId, practitionerId, startUtc, nowMs, count = 4) {
    const target = Date.parse(startUtc);
    const clinicDate = dateInZone(target, this.clinicZone);
    const span = Math.min(14, Math.floor(this.engine.maxQueryRangeDays / 2));
    const candidates = this.slotsBetween(
      typeId,
      practitionerId,
      addDays(clinicDate, -span),
      addDays(clinicDate, span),
      nowMs,
    ).filter((slot) => slot.start !== startUtc);
    candidates.sort((a, b) => Math.abs(Date.parse(a.start) - target) - Math.abs(Date.parse(b.start) - target));
    return candidates.slice(0, count).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }
}
