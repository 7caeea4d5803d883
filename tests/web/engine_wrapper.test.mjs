// The JS wrapper (web/src/engine.js) over the real built slot-engine.wasm, in Node:
// contract examples come back as plain objects, errors as SlotEngineError with the
// contract's code, verdicts as {ok, reason}, and a snapshot object is serialised once. The
// structured listing (slotTable) says what the JSON listing says, in columns the caller
// owns; the horizon (lastBookableDate) and the range limit come from the engine.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { loadSlotEngine, SlotEngine, SlotEngineError } = await import(path.join(repoRoot, 'web', 'src', 'engine.js'));
const require = createRequire(import.meta.url);
const { listingJson } = require(path.join(repoRoot, 'tests', 'wasm', 'listing_json.js'));
const examples = path.join(repoRoot, 'tests', 'data', 'contract-examples');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'));

// The browser gets snapshots with zone rules embedded; `slot-engine prepare` adds them.
const prepared = JSON.parse(
  execFileSync(
    path.join(repoRoot, 'build', 'bin', 'slot-engine'),
    ['prepare', '--snapshot', path.join(examples, 'snapshot.json')],
    { encoding: 'utf8' },
  ),
);

const engine = await loadSlotEngine({
  factory: require(path.join(repoRoot, 'build', 'web', 'slot-engine.js')),
  wasmBinary: fs.readFileSync(path.join(repoRoot, 'build', 'web', 'slot-engine.wasm')),
});

const isEngineError = (code) => (error) =>
  error instanceof SlotEngineError && error.code === code && error.message.length > 0;

test('slots() answers the contract example as a plain object', { timeout: 10000 }, () => {
  assert.deepEqual(engine.slots(prepared, readJson('query.json')), readJson('slots.json'));
});

test('validate() answers {ok, reason} as the contract example', { timeout: 10000 }, () => {
  const expected = readJson('validation.json');
  const verdict = engine.validate(prepared, readJson('booking.json'));
  assert.deepEqual(verdict, expected.ok ? { ok: true } : { ok: false, reason: expected.reason });
  const free = engine.slots(prepared, readJson('query.json')).available_slots[0].slots[0];
  assert.deepEqual(
    engine.validate(prepared, {
      appointment_type: 'consultation',
      practitioner_id: 'dr-lee',
      start: free.start_utc,
      now: '2026-11-30T12:00:00Z',
    }),
    { ok: true },
  );
});

test('JSON text and objects give the same answers', { timeout: 10000 }, () => {
  const query = readJson('query.json');
  assert.deepEqual(engine.slots(JSON.stringify(prepared), JSON.stringify(query)), engine.slots(prepared, query));
});

test('engine errors become SlotEngineError with the contract code', { timeout: 10000 }, () => {
  const query = readJson('query.json');
  const cases = [
    [() => engine.slots(prepared, { ...query, appointment_type: 'surgery' }), 'unknown_appointment_type'],
    [() => engine.slots(prepared, { ...query, practitioner_id: 'dr-nobody' }), 'unknown_practitioner'],
    [() => engine.slots(prepared, { ...query, end_date: '2026-11-01' }), 'invalid_range'],
    [() => engine.slots(prepared, { ...query, end_date: '2027-06-01' }), 'range_too_large'],
    [() => engine.slots(prepared, { ...query, start_date: '2026-02-30' }), 'invalid_query'],
    [() => engine.slots('{not json', query), 'invalid_json'],
    [() => engine.slots({ ...prepared, clinic: { id: 'x' } }, query), 'invalid_snapshot'],
  ];
  for (const [call, code] of cases) {
    assert.throws(
      call,
      (error) =>
        error instanceof SlotEngineError && error instanceof Error && error.code === code && error.message.length > 0,
      code,
    );
  }
});

test('a snapshot without zone rules is invalid_snapshot in WebAssembly', { timeout: 10000 }, () => {
  const { zone_rules: _unused, ...bare } = prepared;
  assert.throws(
    () => engine.slots(bare, readJson('query.json')),
    (error) => error.code === 'invalid_snapshot',
  );
});

test('a snapshot object is serialised once for repeated queries', { timeout: 10000 }, () => {
  let serialisations = 0;
  const snapshot = { ...prepared };
  Object.defineProperty(snapshot, 'toJSON', {
    enumerable: false,
    value() {
      serialisations += 1;
      return prepared;
    },
  });
  const query = readJson('query.json');
  for (let i = 0; i < 5; i++) engine.slots(snapshot, { ...query, end_date: `2026-12-0${i + 1}` });
  engine.validate(snapshot, readJson('booking.json'));
  assert.equal(serialisations, 1);
});

test('loadSlotEngine reports a module that cannot start as engine_unavailable', { timeout: 10000 }, async () => {
  await assert.rejects(
    loadSlotEngine({ factory: () => Promise.reject(new Error('boom')) }),
    (error) => error instanceof SlotEngineError && error.code === 'engine_unavailable',
  );
});

test(
  'slotTable() says what slots() says: the listing rebuilt from its columns is the contract example',
  { timeout: 10000 },
  () => {
    const table = engine.slotTable(prepared, readJson('query.json'));
    assert.deepEqual(JSON.parse(listingJson(table)), readJson('slots.json'));
    assert.deepEqual(table.practitionerIds, ['dr-lee', 'dr-patel']);
    assert.ok(table.slotStartMs instanceof Float64Array && table.slotStartMinute instanceof Uint16Array);
    assert.ok(table.dayDate instanceof Int32Array && table.dayWeekday instanceof Uint8Array);
    // Tuesday 2026-12-01, first free time 09:45 in New York (14:45 UTC)
    assert.equal(table.dayDate[0], Date.UTC(2026, 11, 1) / 86400000);
    assert.equal(table.dayWeekday[0], 1);
    assert.equal(table.slotStartMinute[0], 9 * 60 + 45);
    assert.equal(table.slotStartMs[0], Date.parse('2026-12-01T14:45:00Z'));
    assert.equal(table.slotEndMs[0] - table.slotStartMs[0], table.durationMinutes * 60000);
  },
);

test('slotTable() columns belong to the caller: later calls do not change them', { timeout: 10000 }, () => {
  const query = readJson('query.json');
  const table = engine.slotTable(prepared, query);
  const before = listingJson(table);
  assert.notEqual(table.slotStartMs.buffer, engine._raw.HEAPU8.buffer, 'a copy, not a view into wasm memory');
  for (let i = 0; i < 20; i++)
    engine.slotTable(prepared, { ...query, appointment_type: 'follow-up', end_date: '2027-02-28' });
  engine.slots(prepared, { ...query, end_date: '2027-02-28' });
  assert.equal(listingJson(table), before);
});

test('slotTable() errors are slots() errors, as SlotEngineError', { timeout: 10000 }, () => {
  const query = readJson('query.json');
  const cases = [
    [prepared, { ...query, appointment_type: 'surgery' }],
    [prepared, { ...query, practitioner_id: 'dr-nobody' }],
    [prepared, { ...query, end_date: '2026-11-01' }],
    [prepared, { ...query, end_date: '2027-06-01' }],
    [prepared, { ...query, start_date: '2026-02-30' }],
    [prepared, '{"start_date": '],
    ['{not json', query],
    [{ ...prepared, clinic: { id: 'x' } }, query],
  ];
  for (const [snapshot, q] of cases) {
    let expected;
    assert.throws(
      () => engine.slots(snapshot, q),
      (error) => (expected = error) instanceof SlotEngineError,
    );
    assert.throws(
      () => engine.slotTable(snapshot, q),
      (error) => isEngineError(expected.code)(error) && error.message === expected.message,
      expected.code,
    );
  }
});

test('practitioner ids are asked of the module once per snapshot, not per listing', { timeout: 10000 }, () => {
  const raw = engine._raw;
  let asked = 0;
  const counting = new SlotEngine(
    Object.assign(Object.create(raw), { _practitionerIds: (text) => (asked++, raw._practitionerIds(text)) }),
  );
  const query = readJson('query.json');
  for (let i = 1; i <= 4; i++) counting.slotTable(prepared, { ...query, end_date: `2026-12-0${i}` });
  assert.equal(asked, 1);
  const other = { ...prepared, practitioners: prepared.practitioners.slice(0, 1) };
  assert.deepEqual(counting.slotTable(other, query).practitionerIds, ['dr-lee']);
  assert.equal(asked, 2);
});

test("lastBookableDate(): the type's own horizon, else the clinic's, in clinic dates", { timeout: 10000 }, () => {
  const now = '2026-11-30T12:00:00Z';
  assert.equal(engine.lastBookableDate(prepared, 'consultation', now), '2027-02-28'); // clinic rule: 90 days
  const types = prepared.appointment_types.map((t) => (t.id === 'therapy' ? { ...t, max_advance_days: 10 } : t));
  const custom = { ...prepared, rules: { ...prepared.rules, max_advance_days: 30 }, appointment_types: types };
  assert.equal(engine.lastBookableDate(custom, 'therapy', now), '2026-12-10');
  assert.equal(engine.lastBookableDate(custom, 'follow-up', now), '2026-12-30');
  // 03:00 UTC on December 1 is still November 30 in New York
  assert.equal(engine.lastBookableDate(custom, 'therapy', '2026-12-01T03:00:00Z'), '2026-12-10');
  // the listing ends where the horizon does
  const table = engine.slotTable(custom, {
    appointment_type: 'follow-up',
    start_date: '2026-12-01',
    end_date: '2027-01-31',
    now,
  });
  assert.equal(table.dayDate[table.dayDate.length - 1], Date.UTC(2026, 11, 30) / 86400000);
});

test('lastBookableDate() errors are SlotEngineError with the contract code', { timeout: 10000 }, () => {
  const now = '2026-11-30T12:00:00Z';
  assert.throws(() => engine.lastBookableDate(prepared, 'surgery', now), isEngineError('unknown_appointment_type'));
  assert.throws(() => engine.lastBookableDate(prepared, 'consultation', 'yesterday'), isEngineError('invalid_query'));
  assert.throws(() => engine.lastBookableDate(prepared, 'consultation', undefined), isEngineError('invalid_query'));
  assert.throws(() => engine.lastBookableDate('{', 'consultation', now), isEngineError('invalid_json'));
  assert.throws(
    () => engine.lastBookableDate({ ...prepared, clinic: { id: 'x' } }, 'consultation', now),
    isEngineError('invalid_snapshot'),
  );
});

test(
  'maxQueryRangeDays is the range the engine accepts, and one day more is range_too_large',
  { timeout: 10000 },
  () => {
    const days = engine.maxQueryRangeDays;
    assert.ok(Number.isInteger(days) && days > 0);
    const end = (n) => new Date(Date.UTC(2026, 11, 1) + n * 86400000).toISOString().slice(0, 10);
    const query = { ...readJson('query.json'), end_date: end(days) };
    assert.ok(engine.slotTable(prepared, query).dayDate.length > 0);
    assert.throws(
      () => engine.slotTable(prepared, { ...query, end_date: end(days + 1) }),
      isEngineError('range_too_large'),
    );
  },
);
