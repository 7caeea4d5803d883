// Parity: generated clinics (ten-plus zones with DST and odd offsets, buffers, steps, busy
// time, any practitioner, broken inputs), each prepared by the native `slot-engine prepare`,
// then answered by the native CLI and by the WebAssembly module. Outputs must be
// byte-identical. Every listing is asked twice of the module: as JSON text (`slots`) and as
// the structured answer (web/src/engine.js slotTable(), typed-array columns), from which
// JS rebuilds the contract's JSON; both must equal the native text.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const parseArgs = require('./cli_args');
const { listingJson, errorJson } = require('./listing_json');

const args = parseArgs();
args.module = path.resolve(args.module);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-parity-'));

function native(command, files) {
  const flags =
    command === 'prepare'
      ? ['--snapshot', files[0]]
      : ['--snapshot', files[0], command === 'slots' ? '--query' : '--booking', files[1]];
  const run = spawnSync(args.engine, [command, ...flags], { encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 2)
    throw new Error(`slot-engine ${command} exited ${run.status}: ${run.stderr}`);
  return run.stdout.replace(/\n$/, '');
}

function write(name, text) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

async function main() {
  if (!fs.existsSync(args.module)) throw new Error(`${args.module} is missing: run scripts/build`);
  const engine = await require(args.module)();
  const { SlotEngine, SlotEngineError } = await import(path.join(__dirname, '..', '..', 'web', 'src', 'engine.js'));
  const wrapper = new SlotEngine(engine);
  let structuredSlots = 0;
  const structured = (snapshotText, queryText) => {
    try {
      const table = wrapper.slotTable(snapshotText, queryText);
      structuredSlots += table.slotStartMs.length;
      return listingJson(table);
    } catch (error) {
      if (!(error instanceof SlotEngineError)) throw error;
      return errorJson(error);
    }
  };
  const cases = JSON.parse(
    execFileSync(args.gen, ['--count', args.count, '--seed', '2026'], { encoding: 'utf8', maxBuffer: 1 << 28 }),
  );
  let compared = 0;
  let comparedStructured = 0;
  const failures = [];
  const zones = new Set();
  const compare = (label, command, snapshotText, otherText) => {
    const want = native(command, [write('s.json', snapshotText), write('o.json', otherText)]);
    const got = command === 'slots' ? engine.slots(snapshotText, otherText) : engine.validate(snapshotText, otherText);
    compared++;
    if (want !== got) failures.push({ label, want: want.slice(0, 400), got: got.slice(0, 400) });
    if (command === 'slots') {
      const rebuilt = structured(snapshotText, otherText);
      comparedStructured++;
      if (want !== rebuilt)
        failures.push({ label: `${label} (structured)`, want: want.slice(0, 400), got: rebuilt.slice(0, 400) });
    }
  };

  cases.forEach((c, i) => {
    zones.add(c.snapshot.clinic.timezone);
    const prepared = native('prepare', [write('raw.json', JSON.stringify(c.snapshot))]);
    const rules = JSON.parse(prepared).zone_rules;
    if (!rules) throw new Error(`case ${i}: prepare failed: ${prepared}`);
    compare(`case ${i} slots`, 'slots', prepared, JSON.stringify(c.query));
    // Bookings at listed starts (accepted) and a minute later (refused), from the listing.
    const listing = JSON.parse(engine.slots(prepared, JSON.stringify(c.query)));
    for (const day of (listing.available_slots || []).slice(0, 2)) {
      const slot = day.slots[day.slots.length >> 1];
      const booking = {
        appointment_type: c.query.appointment_type,
        practitioner_id: slot.practitioner_ids[0],
        start: slot.start_utc,
        now: c.query.now,
      };
      compare(`case ${i} listed booking`, 'validate', prepared, JSON.stringify(booking));
      booking.start = new Date(Date.parse(slot.start_utc) + 60000).toISOString().replace('.000Z', 'Z');
      compare(`case ${i} shifted booking`, 'validate', prepared, JSON.stringify(booking));
    }
    compare(`case ${i} validate`, 'validate', prepared, JSON.stringify(c.booking));
    compare(`case ${i} broken query`, 'slots', prepared, JSON.stringify(c.broken_query));
    // A broken snapshot carries the rules its valid original was prepared with.
    const broken = { ...c.broken_snapshot, zone_rules: rules };
    compare(`case ${i} broken snapshot`, 'slots', JSON.stringify(broken), JSON.stringify(c.query));
    if (i % 40 === 0) {
      compare(`case ${i} not json`, 'slots', prepared.slice(0, prepared.length / 2), JSON.stringify(c.query));
      compare(`case ${i} query not json`, 'validate', prepared, '{"start": ');
    }
  });

  // The contract's sample cases, prepared.
  const casesDir = path.join(args.data, 'contract-cases');
  for (const name of fs
    .readdirSync(casesDir)
    .filter((n) => /^\d+$/.test(n))
    .sort()) {
    const dir = path.join(casesDir, name);
    const prepared = native('prepare', [path.join(dir, 'snapshot.json')]);
    const query = path.join(dir, 'query.json');
    if (fs.existsSync(query)) compare(`contract ${name}`, 'slots', prepared, fs.readFileSync(query, 'utf8'));
    else compare(`contract ${name}`, 'validate', prepared, fs.readFileSync(path.join(dir, 'booking.json'), 'utf8'));
  }

  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(
    `compared ${compared} answers (and ${comparedStructured} listings, ${structuredSlots} slots, rebuilt from the structured answer) from ${cases.length} generated clinics in ${zones.size} zones plus the contract cases: ${failures.length} differ`,
  );
  if (failures.length) {
    console.error(JSON.stringify(failures.slice(0, 5), null, 2));
    process.exit(1);
  }
  if (zones.size < 10 || cases.length < 300) throw new Error('too few zones or cases generated');
  if (comparedStructured < 3 * cases.length || structuredSlots < 10000)
    throw new Error('too few structured listings or slots compared');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
