// The widget's engine on a large clinic's snapshot (issue 14, "A large clinic"): the
// WebAssembly engine's first month query, which includes parsing the snapshot, and a later
// one, in Node. Prints figures; never fails on time.
//   node bench/web/large_clinic.mjs SNAPSHOT.json [more.json ...]
// SNAPSHOT.json: what bench/server/large_clinic.py --keep-snapshot wrote.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadSlotEngine } from '../../web/src/engine.js';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const web = path.join(repo, 'build', 'web');
const require = createRequire(import.meta.url);
// The contract's busy intervals, or the server's compact runs (docs/api.md).
const busyCount = (snapshot) =>
  (snapshot.busy || []).length + (snapshot.busy_runs || []).reduce((n, entry) => n + entry.runs.length / 2, 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const engine = await loadSlotEngine({
  factory: require(path.join(web, 'slot-engine.js')),
  wasmBinary: fs.readFileSync(path.join(web, 'slot-engine.wasm')),
});

for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const snapshot = JSON.parse(text);
  const type = snapshot.appointment_types[0].id;
  const today = new Date();
  const start = today.toISOString().slice(0, 10);
  const end = new Date(today.getTime() + 30 * 86400000).toISOString().slice(0, 10);
  const query = {
    appointment_type: type,
    practitioner_id: 'any',
    start_date: start,
    end_date: end,
    now: today.toISOString(),
  };
  const first = [];
  const later = [];
  for (let run = 0; run < 7; run++) {
    // A new text each run: the engine keeps the last snapshot it parsed.
    const fresh = text.replace(/}\s*$/, `,"bench_run":${run}}`);
    let t = performance.now();
    const table = engine.slotTable(fresh, query);
    first.push(performance.now() - t);
    t = performance.now();
    engine.slotTable(fresh, { ...query, start_date: end, end_date: end });
    later.push(performance.now() - t);
    if (run === 0)
      console.log(
        `${path.basename(file)}: ${text.length.toLocaleString()} B, ${busyCount(snapshot).toLocaleString()} busy, ${table.slotStartMs.length.toLocaleString()} slots in the month`,
      );
  }
  console.log(
    `  first month query (parse included): median ${median(first).toFixed(1)} ms (min ${Math.min(...first).toFixed(1)}); a later query ${median(later).toFixed(2)} ms`,
  );
}
