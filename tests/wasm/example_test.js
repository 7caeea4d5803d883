// The done-when check of the WebAssembly issue: node can require the built module and
// engine.slots(...) on the prepared contract example returns the contract's slots.json.
'use strict';
const { execFileSync } = require('child_process');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const parseArgs = require('./cli_args');

const args = parseArgs();
args.module = path.resolve(args.module);
const examples = path.join(args.data, 'contract-examples');
const read = (name) => fs.readFileSync(path.join(examples, name), 'utf8');

(async () => {
  const createSlotEngine = require(args.module);
  const engine = await createSlotEngine();
  const raw = read('snapshot.json');
  const prepared = execFileSync(args.engine, ['prepare', '--snapshot', path.join(examples, 'snapshot.json')], {
    encoding: 'utf8',
  });

  assert.deepStrictEqual(JSON.parse(engine.slots(prepared, read('query.json'))), JSON.parse(read('slots.json')));
  assert.deepStrictEqual(
    JSON.parse(engine.validate(prepared, read('booking.json'))),
    JSON.parse(read('validation.json')),
  );

  // Without zone rules there is no tz database to fall back on: a clear error, not a throw.
  const unprepared = JSON.parse(engine.slots(raw, read('query.json')));
  assert.strictEqual(unprepared.error.code, 'invalid_snapshot');
  assert.match(unprepared.error.message, /zone_rules/);
  assert.strictEqual(JSON.parse(engine.slots('{', '{}')).error.code, 'invalid_json');
  assert.strictEqual(JSON.parse(engine.validate(prepared, '{"start": 1}')).error.code, 'invalid_query');
  console.log('wasm module: contract example, validation and errors as expected');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
