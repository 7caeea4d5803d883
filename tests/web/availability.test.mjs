// The widget's model over the real engine, in Node: a month is regrouped by the patient's
// own dates (here Tokyo, 14 hours ahead of the clinic), the nearest alternatives to a taken
// time are the closest in time, and a time the snapshot no longer lists is not found.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { loadSlotEngine } = await import(path.join(repoRoot, 'web', 'src', 'engine.js'));
const { Availability } = await import(path.join(repoRoot, 'web', 'src', 'widget', 'availability.js'));
const { dateInZone, addMonths, addDays } = await import(path.join(repoRoot, 'web', 'src', 'widget', 'dates.js'));
const require = createRequire(import.meta.url);
const examples = path.join(repoRoot, 'tests', 'data', 'contract-examples');
const text = execFileSync(
  path.join(repoRoot, 'build', 'bin', 'slot-engine'),
  ['prepare', '--snapshot', path.join(examples, 'snapshot.json')],
  { encoding: 'utf8' },
);
const snapshot = { text, data: JSON.parse(text) };
const engine = await loadSlotEngine({
  factory: require(path.join(repoRoot, 'build', 'web', 'slot-engine.js')),
  wasmBinary: fs.readFileSync(path.join(repoRoot, 'build', 'web', 'slot-engine.wasm')),
});
const NOW = Date.parse('2026-11-30T12:00:00Z');

test('a month is grouped by the patient-local date', { timeout: 10000 }, () => {
  const inNewYork = new Availability(engine, snapshot, 'America/New_York');
  const tokyo = new Availability(engine, snapshot, 'Asia/Tokyo').month('consultation', 'any', '2026-12-15', NOW);
  const all = (days) =>
    [...days.values()]
      .flat()
      .map((s) => s.start)
      .sort();
  const newYorkAround = ['2026-11-15', '2026-12-15', '2027-01-15'].flatMap((m) =>
    all(inNewYork.month('consultation', 'any', m, NOW)),
  );
  const expected = newYorkAround
    .filter((start) => dateInZone(Date.parse(start), 'Asia/Tokyo').startsWith('2026-12'))
    .sort();
  assert.ok(expected.length > 0);
  assert.deepEqual(all(tokyo), expected, 'the same slots, only regrouped');
  for (const [date, slots] of tokyo) {
    for (const slot of slots) assert.equal(dateInZone(Date.parse(slot.start), 'Asia/Tokyo'), date);
  }
  // Tuesday 09:45 in New York is 23:45 on Tuesday in Tokyo; 10:00 is already Wednesday
  assert.ok(tokyo.get('2026-12-01').some((s) => s.start === '2026-12-01T14:45:00Z'));
  assert.ok(tokyo.get('2026-12-02').some((s) => s.start === '2026-12-01T15:00:00Z'));
});

test('the first month with slots and the booking window', { timeout: 10000 }, () => {
  const availability = new Availability(engine, snapshot, 'America/New_York');
  assert.equal(availability.firstMonthWithSlots('consultation', 'any', NOW), '2026-11-01');
  const range = availability.bookableRange('consultation', NOW);
  assert.equal(range.lastClinicDate, addDays('2026-11-30', 90));
  assert.equal(addMonths('2026-01-31', 1), '2026-02-28');
});

test('nearest alternatives are the closest free times, in order', { timeout: 10000 }, () => {
  const availability = new Availability(engine, snapshot, 'America/New_York');
  const taken = '2026-12-01T15:00:00Z';
  const nearest = availability.nearest('consultation', 'any', taken, NOW, 3);
  assert.deepEqual(
    nearest.map((s) => s.start),
    ['2026-12-01T14:45:00Z', '2026-12-01T15:15:00Z', '2026-12-01T15:30:00Z'],
  );
  assert.ok(availability.findSlot('consultation', 'dr-lee', taken, NOW));
  assert.equal(availability.findSlot('consultation', 'dr-lee', '2026-12-01T14:00:00Z', NOW), null, 'busy at 14:00');
});

test(
  'slots carry what the JSON listing says: instants, practitioners, clinic date and time',
  { timeout: 10000 },
  () => {
    const availability = new Availability(engine, snapshot, 'Asia/Tokyo');
    const slots = availability.slotsBetween('consultation', 'any', '2026-12-01', '2026-12-31', NOW);
    const listing = engine.slots(snapshot.text, {
      appointment_type: 'consultation',
      start_date: '2026-12-01',
      end_date: '2026-12-31',
      now: '2026-11-30T12:00:00Z',
    });
    const expected = listing.available_slots.flatMap((day) =>
      day.slots.map((s) => ({
        start: s.start_utc,
        end: s.end_utc,
        practitionerIds: s.practitioner_ids,
        clinicDate: day.date,
        clinicStart: s.start,
        localDate: dateInZone(Date.parse(s.start_utc), 'Asia/Tokyo'),
      })),
    );
    assert.ok(expected.length > 20);
    const fields = ({ start, end, practitionerIds, clinicDate, clinicStart, localDate }) => ({
      start,
      end,
      practitionerIds,
      clinicDate,
      clinicStart,
      localDate,
    });
    assert.deepEqual(slots.map(fields), expected);
  },
);

test("the booking window is the engine's: a type's own horizon wins over the clinic's", { timeout: 10000 }, () => {
  const data = JSON.parse(text);
  data.rules.max_advance_days = 30;
  data.appointment_types.find((t) => t.id === 'consultation').max_advance_days = 10;
  const custom = { text: JSON.stringify(data), data };
  const availability = new Availability(engine, custom, 'America/New_York');
  assert.deepEqual(availability.bookableRange('consultation', NOW), {
    first: '2026-11-30',
    last: '2026-12-11',
    lastClinicDate: '2026-12-10',
  });
  assert.equal(availability.bookableRange('follow-up', NOW).lastClinicDate, '2026-12-30');
  const december = [...availability.month('consultation', 'any', '2026-12-01', NOW).values()].flat();
  assert.ok(december.length > 0);
  assert.ok(
    december.every((slot) => slot.clinicDate <= '2026-12-10'),
    'nothing past the horizon',
  );
  assert.ok(december.some((slot) => slot.clinicDate === '2026-12-10'));
});

test("patient-local dates are Intl's for every slot, across the patient zone's DST changes", { timeout: 20000 }, () => {
  // A year ahead, and hours around the clock, so that every patient zone below changes its
  // offset in the range, some of them in the middle of a clinic day with slots.
  const data = JSON.parse(text);
  data.rules = { min_notice_minutes: 0, max_advance_days: 365 };
  const allDay = [{ start: '00:00', end: '24:00' }];
  data.practitioners[0].weekly_hours = Object.fromEntries(
    ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [d, allDay]),
  );
  const around = { text: JSON.stringify(data), data };
  const ranges = [
    ['2027-03-05', '2027-04-10'],
    ['2027-09-25', '2027-11-10'],
  ];
  let checked = 0;
  for (const zone of [
    'Europe/London',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'America/Santiago',
    'Asia/Kolkata',
    'America/New_York',
  ]) {
    const availability = new Availability(engine, around, zone);
    for (const [from, to] of ranges) {
      for (const slot of availability.slotsBetween('follow-up', 'dr-lee', from, to, NOW)) {
        assert.equal(slot.localDate, dateInZone(Date.parse(slot.start), zone), `${zone} ${slot.start}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 6 * 2 * 30 * 90, `${checked} slots`);
});
