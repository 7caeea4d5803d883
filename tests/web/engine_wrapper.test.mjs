// The JS wrapper (web/src/engine.js) over the real built slot-engine.wasm, in Node:
// contract examples come back as plain objects, errors as SlotEngineError with the
// contract's code, verdicts as {ok, reason}, and a snapshot object is serialised once.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { loadSlotEngine, SlotEngineError } = await import(path.join(repoRoot, 'web', 'src', 'engine.js'));
const require = createRequire(import.meta.url);
const examples = path.join(repoRoot, 'tests', 'data', 'contract-examples');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'));

// The browser gets snapshots with zone rules embedded; `slot-engine prepare` adds them.
const prepared = JSON.parse(
  execFileSync(path.join(repoRoot, 'build', 'bin', 'slot-engine'), ['prepare', '--snapshot', path.join(examples, 'snapshot.json')], { encoding: 'utf8' }),
);

const engine = await loadSlotEngine({
  factory: require(path.join(repoRoot, 'build', 'web', 'slot-engine.js')),
  wasmBinary: fs.readFileSync(path.join(repoRoot, 'build', 'web', 'slot-engine.wasm')),
});

test('slots() answers the contract example as a plain object', { timeout: 10000 }, () => {
  assert.deepEqual(engine.slots(prepared, readJson('query.json')), readJson('slots.json'));
});

test('validate() answers {ok, reason} as the contract example', { timeout: 10000 }, () => {
  const expected = readJson('validation.json');
  const verdict = engine.validate(prepared, readJson('booking.json'));
  assert.deepEqual(verdict, expected.ok ? { ok: true } : { ok: false, reason: expected.reason });
  const free = engine.slots(prepared, readJson('query.json')).available_slots[0].slots[0];
  assert.deepEqual(engine.validate(prepared, { appointment_type: 'consultation', practitioner_id: 'dr-lee', start: free.start_utc, now: '2026-11-30T12:00:00Z' }), { ok: true });
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
    assert.throws(call, (error) => error instanceof SlotEngineError && error instanceof Error && error.code === code && error.message.length > 0, code);
  }
});

test('a snapshot without zone rules is invalid_snapshot in WebAssembly', { timeout: 10000 }, () => {
  const { zone_rules: _unused, ...bare } = prepared;
  assert.throws(() => engine.slots(bare, readJson('query.json')), (error) => error.code === 'invalid_snapshot');
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
