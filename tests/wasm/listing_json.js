// The contract's JSON slot listing rebuilt, in JS, from a structured answer
// (SlotEngine.slotTable() of web/src/engine.js): the parity test compares the result byte
// for byte with the native slot-engine, so the columns must say everything the JSON says.
// Written independently of the C++ JSON writer (core/src/json_api.cc) on purpose.
'use strict';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const two = (n) => String(n).padStart(2, '0');

const dateText = (daysSinceEpoch) => new Date(daysSinceEpoch * 86400000).toISOString().slice(0, 10);
const timeText = (minute) => `${two(Math.floor(minute / 60))}:${two(minute % 60)}`;

// "2026-12-01T14:00:00Z", with ".ffffff" only when there is a fraction (format_instant).
function instantText(ms) {
  const iso = new Date(ms).toISOString();
  const millis = ((ms % 1000) + 1000) % 1000;
  return `${iso.slice(0, 19)}${millis ? `.${String(millis).padStart(3, '0')}000` : ''}Z`;
}

/** The listing's JSON text from a slotTable() answer. */
function listingJson(table) {
  const availableSlots = [];
  for (let d = 0; d < table.dayDate.length; d++) {
    const slots = [];
    const first = table.dayFirstSlot[d];
    for (let i = first; i < first + table.daySlotCount[d]; i++) {
      const ids = [];
      const p = table.slotFirstPractitioner[i];
      for (let k = 0; k < table.slotPractitionerCount[i]; k++)
        ids.push(table.practitionerIds[table.practitioners[p + k]]);
      slots.push({
        start: timeText(table.slotStartMinute[i]),
        end: timeText(table.slotEndMinute[i]),
        start_utc: instantText(table.slotStartMs[i]),
        end_utc: instantText(table.slotEndMs[i]),
        duration_minutes: table.durationMinutes,
        practitioner_ids: ids,
      });
    }
    availableSlots.push({
      date: dateText(table.dayDate[d]),
      day_of_week: WEEKDAYS[table.dayWeekday[d]],
      total_slots: slots.length,
      slots,
    });
  }
  return JSON.stringify({
    clinic_id: table.clinicId,
    appointment_type: table.appointmentType,
    practitioner_id: table.practitionerId,
    start_date: table.startDate,
    end_date: table.endDate,
    timezone: table.timezone,
    slot_duration_minutes: table.durationMinutes,
    total_days_with_availability: availableSlots.length,
    available_slots: availableSlots,
  });
}

/** The contract's error JSON text of a SlotEngineError. */
const errorJson = (error) => JSON.stringify({ error: { code: error.code, message: error.message } });

module.exports = { listingJson, errorJson };
