// Widget speed and size, in headless Chromium on loopback against the real booking server.
// Prints figures (never fails on time):
//   1. first-load bytes: gzip -9 of what the widget loads before its first times show
//      (the budget's measure), and the bytes Chromium actually received on a cold load;
//   2. script tag to first times visible: a bare host page inserts the one-line install and
//      waits for the first time chip; median of cold (fresh profile) and warm (HTTP cache
//      primed) runs, with when each response had arrived;
//   3. day click to times rendered: synchronous time from a day's click to its times being
//      in the DOM (what must fit in a 16 ms frame), median over many clicks; plus a month
//      change, which asks the engine for a new month.
// Usage: node bench/web/widget_bench.mjs [runs] [--web-root DIR]... [--phone] [--trace DIR]
//                                        [--server URL --clinic ID]
//   runs             cold and warm runs per build (default 7)
//   --web-root DIR   the build/web folder to measure (default build/web). Given more than
//                    once, each build gets its own booking-server (the same binary) and the
//                    runs alternate between the builds, so one run compares them side by side.
//   --phone          instead of 1-3: navigation to first times on the demo page (/) in a
//                    390 px viewport, cold, under CPU throttling and network emulation (CDP
//                    Emulation.setCPUThrottlingRate, Network.emulateNetworkConditions): a
//                    mid-range phone (4x) with no network limit, on a 9 Mbps / 60 ms link, on
//                    1.6 Mbps / 150 ms, and 1x for reference.
//   --trace DIR      instead of 1-3: one cold install per build under Chromium's tracing; writes
//                    DIR/<build>.trace.json (open it in chrome://tracing or Perfetto) and prints
//                    where the main thread's time went between the script tag and the first times.
//   --server URL     measure against a booking-server already running at URL (serving the one
//                    --web-root) instead of starting one: bench/server/large_clinic.py --widget
//                    runs the desktop figures on its large clinic so.
//   --clinic ID      the clinic the host page installs (default demo; not for --phone).
// After scripts/build (or `node web/build.mjs`); SLOTBOOK_BOOKING_SERVER picks the server binary.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultWebRoot, launchBrowser, startServer } from '../../tests/web/support.mjs';

function parseArgs(argv) {
  const options = { runs: 7, webRoots: [], phone: false, trace: null, server: null, clinic: 'demo' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--web-root') options.webRoots.push(path.resolve(argv[++i]));
    else if (argv[i] === '--phone') options.phone = true;
    else if (argv[i] === '--trace') options.trace = path.resolve(argv[++i]);
    else if (argv[i] === '--server') options.server = argv[++i].replace(/\/$/, '');
    else if (argv[i] === '--clinic') options.clinic = argv[++i];
    else if (/^\d+$/.test(argv[i])) options.runs = Number(argv[i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!options.webRoots.length) options.webRoots.push(defaultWebRoot);
  return options;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmtMs = (x) => `${x.toFixed(1)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const spread = (xs) =>
  `median ${fmtMs(median(xs))} of ${xs.length} (min ${fmtMs(Math.min(...xs))}, max ${fmtMs(Math.max(...xs))})`;
// a resource's name without its content hash: slot-engine.0123456789.wasm -> slot-engine.wasm
const plainName = (name) => name.replace(/\.[0-9a-f]{10}\./, '.');

// The files the widget loads: before its first times, the widget script and the engine
// files its text names (build.mjs writes the hashed names into it); after them, the details
// chunk it names (none in builds before it).
function widgetFiles(webRoot) {
  const widget = fs.readFileSync(path.join(webRoot, 'booking-widget.js'));
  const first = { 'booking-widget.js': widget };
  const later = {};
  for (const [, name] of widget
    .toString()
    .matchAll(/"((?:slot-engine|booking-widget-details)\.[0-9a-f]{10}\.(?:js|wasm))"/g)) {
    const file = path.join(webRoot, name);
    if (fs.existsSync(file)) (name.startsWith('booking-widget-details') ? later : first)[name] = fs.readFileSync(file);
  }
  if (Object.keys(first).length === 1)
    for (const name of ['slot-engine.js', 'slot-engine.wasm']) first[name] = fs.readFileSync(path.join(webRoot, name));
  return { first, later };
}

function gzipBudget(webRoot) {
  const measure = (files) =>
    Object.entries(files).map(([name, bytes]) => ({
      name,
      raw: bytes.length,
      gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    }));
  const { first, later } = widgetFiles(webRoot);
  const sizes = measure(first);
  return { sizes, later: measure(later), total: sizes.reduce((sum, s) => sum + s.gzip, 0) };
}

const hostPage = (
  serverUrl,
  clinicId,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench host</title></head>
<body><div id="spot"></div><script>
window.measureInstall = () => new Promise((resolve) => {
  const t0 = performance.now();
  console.timeStamp('bench:t0'); // the start, for --trace
  const script = document.createElement('script');
  script.src = ${JSON.stringify(`${serverUrl}/widget/booking-widget.js`)};
  script.dataset.clinic = ${JSON.stringify(clinicId)};
  script.async = true;
  document.getElementById('spot').append(script);
  const poll = () => {
    const root = document.querySelector('clinic-booking')?.shadowRoot;
    const time = root?.querySelector('.times-panel .time');
    if (time && time.getBoundingClientRect().height > 0) {
      const total = performance.now() - t0;
      const arrived = {};
      for (const entry of performance.getEntriesByType('resource')) {
        arrived[new URL(entry.name).pathname.split('/').pop()] = entry.responseEnd - t0;
      }
      resolve({ total, arrived, t0 });
    } else requestAnimationFrame(poll);
  };
  poll();
});
</script></body></html>`;

// The host page is answered by the browser itself (page.route) at an address of the
// booking server's origin, so nothing but the widget's own requests reach the network.
async function openHostPage(page, build) {
  const url = `${build.server.url}/bench-host`;
  await page.route(url, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      headers: { 'Cache-Control': 'no-store' },
      body: hostPage(build.server.url, build.clinic),
    }),
  );
  await page.goto(url);
}

/** Cold (fresh profile) then warm (same profile, HTTP cache primed) install of one build. */
async function installRun(build) {
  const browser = await launchBrowser({ realClock: true });
  try {
    const cdp = await browser.context.newCDPSession(browser.page);
    await cdp.send('Network.enable');
    const received = new Map();
    cdp.on('Network.responseReceived', (e) => received.set(e.requestId, e.response.url));
    const bytes = {};
    cdp.on('Network.loadingFinished', (e) => {
      const url = received.get(e.requestId);
      if (url && url.startsWith(build.server.url)) bytes[new URL(url).pathname] = e.encodedDataLength;
    });
    await openHostPage(browser.page, build);
    const cold = await browser.page.evaluate(() => window.measureInstall());
    await new Promise((resolve) => setTimeout(resolve, 500)); // CDP's last events, the details chunk
    const wire = { ...bytes };
    delete wire['/bench-host']; // the host page is not the widget's
    await openHostPage(browser.page, build);
    const warm = (await browser.page.evaluate(() => window.measureInstall())).total;
    return { cold, warm, wire };
  } finally {
    await browser.close();
  }
}

async function interactionTimings(build) {
  const browser = await launchBrowser({ realClock: true });
  try {
    await openHostPage(browser.page, build);
    await browser.page.evaluate(() => window.measureInstall());
    return await browser.page.evaluate(async () => {
      const root = document.querySelector('clinic-booking').shadowRoot;
      const dayClicks = [];
      for (let round = 0; round < 10; round++) {
        for (const cell of root.querySelectorAll('td.day.free')) {
          const t0 = performance.now();
          cell.click();
          const rendered = root.querySelector('.times-panel .time');
          dayClicks.push(performance.now() - t0);
          if (!rendered) throw new Error('no times after a day click');
          await new Promise((r) => requestAnimationFrame(r));
        }
      }
      const monthChanges = [];
      const next = root.querySelector('button[part~="month-nav"]:last-of-type');
      const prev = root.querySelector('button[part~="month-nav"]');
      for (let i = 0; i < 5; i++) {
        for (const button of [next, prev]) {
          if (button.disabled) continue;
          const t0 = performance.now();
          button.click();
          monthChanges.push(performance.now() - t0);
          await new Promise((r) => requestAnimationFrame(r));
        }
      }
      return { dayClicks, monthChanges };
    });
  } finally {
    await browser.close();
  }
}

async function desktopBench(builds, runs) {
  for (const build of builds) {
    build.cold = [];
    build.warm = [];
  }
  for (let i = 0; i < runs; i++) {
    for (const build of builds) {
      const run = await installRun(build);
      build.cold.push(run.cold);
      build.warm.push(run.warm);
      build.wire ||= run.wire;
    }
  }
  for (const build of builds) build.interaction = await interactionTimings(build);
  for (const build of builds) {
    console.log(`\n${build.label}`);
    const budget = gzipBudget(build.webRoot);
    for (const s of budget.sizes)
      console.log(`  ${s.name.padEnd(34)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(8)} gzip -9`);
    console.log(`  first load (before the first times), gzip -9: ${kb(budget.total)} = ${budget.total} B`);
    for (const s of budget.later)
      console.log(`  after the first times: ${s.name} ${kb(s.raw)} raw, ${kb(s.gzip)} gzip -9`);
    const wireTotal = Object.values(build.wire).reduce((a, b) => a + b, 0);
    console.log(`  bytes the widget received on a cold load (as served, incl. headers): ${kb(wireTotal)}`);
    for (const [p, b] of Object.entries(build.wire))
      console.log(
        `    ${p.padEnd(48)} ${kb(b)}${p.includes('booking-widget-details') ? ' (after the first times)' : ''}`,
      );
    const coldTotals = build.cold.map((run) => run.total);
    console.log(`  script tag -> first times visible, cold: ${spread(coldTotals)}`);
    const names = [...new Set(build.cold.flatMap((run) => Object.keys(run.arrived)))].filter(
      (n) => n !== 'favicon.ico',
    );
    // (a run without an entry for a file is left out: Chromium at times reports none for the
    // .wasm, whose response the engine wrapper reads through a clone)
    console.log(
      `    each response fully arrived (median ms after the script tag): ${names.map((n) => `${plainName(n)} ${median(build.cold.flatMap((run) => run.arrived[n] ?? [])).toFixed(0)}`).join(', ')}`,
    );
    // what the page waited for: the responses that arrived before the first times
    const afterLastByte = build.cold.map(
      (run) => run.total - Math.max(0, ...Object.values(run.arrived).filter((t) => t <= run.total)),
    );
    console.log(`    in the page after the last byte it needed: median ${fmtMs(median(afterLastByte))}`);
    console.log(`  script tag -> first times visible, warm: ${spread(build.warm)}`);
    const { dayClicks, monthChanges } = build.interaction;
    console.log(
      `  day click -> its times in the DOM: median ${fmtMs(median(dayClicks))}, max ${fmtMs(Math.max(...dayClicks))} over ${dayClicks.length} clicks`,
    );
    if (monthChanges.length)
      console.log(
        `  month change (engine query + grid): median ${fmtMs(median(monthChanges))}, max ${fmtMs(Math.max(...monthChanges))} over ${monthChanges.length}`,
      );
  }
}

// ---- phone mode ----------------------------------------------------------------------------

const PHONE_PROFILES = [
  { name: '4x CPU, no network limit', cpu: 4 },
  { name: '4x CPU, 9 Mbps / 60 ms', cpu: 4, network: { latency: 60, down: 9e6, up: 1.5e6 } },
  { name: '4x CPU, 1.6 Mbps / 150 ms', cpu: 4, network: { latency: 150, down: 1.6e6, up: 0.75e6 } },
  { name: '1x CPU, no network limit', cpu: 1 },
];

// Runs before the demo page's own scripts: performance.now() (from navigation start) at the
// first animation frame in which a time chip of the widget has a box.
const FIRST_TIMES_PROBE = `window.firstTimesShown = new Promise((resolve) => {
  const poll = () => {
    const time = document.querySelector('clinic-booking')?.shadowRoot?.querySelector('.times-panel .time');
    if (time && time.getBoundingClientRect().height > 0) resolve(performance.now());
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
});`;

async function phoneRun(build, profile) {
  const browser = await launchBrowser({ realClock: true, viewport: { width: 390, height: 844 } });
  try {
    const { page } = browser;
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    if (profile.network) {
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: profile.network.latency,
        downloadThroughput: profile.network.down / 8,
        uploadThroughput: profile.network.up / 8,
      });
    }
    await page.addInitScript(FIRST_TIMES_PROBE);
    await page.goto(`${build.server.url}/`, { waitUntil: 'commit' });
    return await page.evaluate(() => window.firstTimesShown);
  } finally {
    await browser.close();
  }
}

async function phoneBench(builds, runs) {
  console.log('\nnavigation -> first times visible on the demo page, cold, 390 px viewport');
  for (const profile of PHONE_PROFILES) {
    const times = new Map(builds.map((b) => [b, []]));
    for (let i = 0; i < runs; i++) for (const build of builds) times.get(build).push(await phoneRun(build, profile));
    console.log(`  ${profile.name}`);
    for (const build of builds) console.log(`    ${build.label.padEnd(40)} ${spread(times.get(build))}`);
  }
}

// ---- trace mode ----------------------------------------------------------------------------

const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'v8.wasm',
  'disabled-by-default-v8.compile',
  'blink.user_timing',
  'loading',
  'toplevel',
];

async function tracedInstall(build) {
  const browser = await launchBrowser({ realClock: true });
  try {
    const cdp = await browser.context.newCDPSession(browser.page);
    await openHostPage(browser.page, build);
    await cdp.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: { includedCategories: TRACE_CATEGORIES },
    });
    const run = await browser.page.evaluate(() => window.measureInstall());
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await done;
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    return { run, trace: JSON.parse(text) };
  } finally {
    await browser.close();
  }
}

// What a main-thread slice of the trace counts as; null: the category of the slice it is in.
function sliceCategory(e) {
  const url = e.args?.data?.url || '';
  if (e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.compileModule') {
    const file = plainName(url.split('/').pop() || '');
    if (/^booking-widget/.test(file)) return 'widget script: compile and run its top level';
    if (/^slot-engine/.test(file)) return 'engine glue script: compile and run';
    return null;
  }
  if (/wasm/i.test(e.name)) return 'WebAssembly: compile (lazy, on first call) and instantiate';
  if (['FunctionCall', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'RunMicrotasks'].includes(e.name))
    return /bench-host/.test(url) ? 'the benchmark probe' : 'JavaScript: widget and engine calls';
  if (['UpdateLayoutTree', 'Layout', 'RecalculateStyles', 'ScheduleStyleRecalculation'].includes(e.name))
    return 'style and layout';
  if (['PrePaint', 'Paint', 'Layerize', 'Commit', 'UpdateLayer', 'CompositeLayers'].includes(e.name)) return 'paint';
  if (/GC/.test(e.name)) return 'garbage collection';
  if (e.name === 'ParseHTML') return 'HTML';
  if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') return 'other (tasks, IPC)';
  return null;
}

// The main thread between the script tag and the first times, from the trace: each slice's
// own time (less its children's) by what it was, and the tasks of 2 ms or more in order;
// with when each of the widget's responses had arrived.
function traceBreakdown(trace, run) {
  const events = trace.traceEvents || trace;
  // the renderer that ran the host page: the one with the widget's EvaluateScript
  const evaluate = events.find((e) => e.name === 'EvaluateScript' && /booking-widget/.test(e.args?.data?.url || ''));
  if (!evaluate) return null;
  const { pid, tid } = evaluate;
  const mark = events.find((e) => e.pid === pid && e.name === 'TimeStamp' && e.args?.data?.message === 'bench:t0');
  const start = mark ? mark.ts : evaluate.ts - 1;
  const end = start + run.total * 1000;
  const at = (ts) => (ts - start) / 1000;
  const slices = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= start && e.ts < end)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const own = new Map();
  const tasks = [];
  const stack = []; // {end, category}
  let task = null; // the top-level task of 2 ms or more being read, with its own times
  const add = (map, category, ms) => map.set(category, (map.get(category) || 0) + ms);
  for (const e of slices) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    const category = sliceCategory(e) || (parent ? parent.category : 'other (tasks, IPC)');
    const ms = (e.dur || 0) / 1000;
    if (!parent) {
      task = ms >= 2 ? { start: at(e.ts), dur: ms, slices: new Map() } : null;
      if (task) tasks.push(task);
    }
    for (const map of task ? [own, task.slices] : [own]) {
      add(map, category, ms);
      if (parent) add(map, parent.category, -ms);
    }
    stack.push({ end: e.ts + (e.dur || 0), category });
  }
  // Resource Timing's responseEnd, as the page measured it
  const finished = Object.entries(run.arrived)
    .map(([name, ms]) => ({ file: plainName(name), at: ms }))
    .filter((f) => f.at >= 0 && f.at <= run.total && !/bench-host|favicon/.test(f.file))
    .sort((x, y) => x.at - y.at);
  const busy = [...own.values()].reduce((a, b) => a + b, 0);
  return { busy, span: run.total, own: [...own].sort((a, b) => b[1] - a[1]), tasks, finished };
}

async function traceBench(builds, dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const build of builds) {
    const { run, trace } = await tracedInstall(build);
    const file = path.join(dir, `${build.label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}.trace.json`);
    fs.writeFileSync(file, JSON.stringify(trace));
    console.log(`\n${build.label}: script tag -> first times ${fmtMs(run.total)} (trace: ${file})`);
    const breakdown = traceBreakdown(trace, run);
    if (!breakdown) {
      console.log('  (no widget script evaluation in the trace)');
      continue;
    }
    console.log(`  main thread busy ${fmtMs(breakdown.busy)} of ${fmtMs(breakdown.span)}; by what ran:`);
    for (const [name, msTotal] of breakdown.own)
      if (msTotal >= 0.5) console.log(`    ${name.padEnd(60)} ${fmtMs(msTotal)}`);
    console.log(`  responses finished: ${breakdown.finished.map((f) => `${f.file} ${f.at.toFixed(0)}`).join(', ')} ms`);
    console.log('  main-thread tasks of 2 ms or more (start, length: what took 0.5 ms or more in them):');
    for (const task of breakdown.tasks)
      console.log(
        `    ${task.start.toFixed(1).padStart(6)} ms ${fmtMs(task.dur).padStart(8)}: ${[...task.slices]
          .filter(([, t]) => t >= 0.5)
          .sort((x, y) => y[1] - x[1])
          .map(([c, t]) => `${c} ${t.toFixed(1)}`)
          .join('; ')}`,
      );
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const builds = options.webRoots.map((webRoot) => ({
    webRoot,
    clinic: options.clinic,
    label: path.relative(process.cwd(), webRoot).startsWith('..') ? webRoot : path.relative(process.cwd(), webRoot),
  }));
  if (options.server && builds.length > 1) throw new Error('--server measures one --web-root');
  try {
    for (const build of builds) {
      build.server = options.server
        ? { url: options.server, stop: async () => {} }
        : await startServer({ realClock: true, webRoot: build.webRoot });
    }
    console.log(
      `Widget bench (headless Chromium, loopback, real booking-server); ${options.runs} runs per build: ${builds.map((b) => b.label).join(', ')}`,
    );
    if (options.trace) await traceBench(builds, options.trace);
    else if (options.phone) await phoneBench(builds, options.runs);
    else await desktopBench(builds, options.runs);
  } finally {
    for (const build of builds) if (build.server) await build.server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
