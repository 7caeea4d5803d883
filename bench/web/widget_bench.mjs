// Widget speed and size, in headless Chromium on loopback against the real booking server.
// Prints figures (never fails on time):
//   1. first-load bytes: gzip -9 of widget + engine (the budget's measure), and the bytes
//      Chromium actually received for them and the snapshot on a cold load;
//   2. script tag to first times visible: a bare host page inserts the one-line install and waits for the first time chip; median of cold (fresh profile)
//      and warm (HTTP cache primed) runs;
//   3. day click to times rendered: synchronous time from a day's click to its times being
//      in the DOM (what must fit in a 16 ms frame), median over many clicks; plus a month
//      change, which asks the engine for a new month.
// Usage: node bench/web/widget_bench.mjs [runs]   (after scripts/build)

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchBrowser, repoRoot, startServer } from '../../tests/web/support.mjs';

const runs = Number(process.argv[2] || 7);
const webRoot = path.join(repoRoot, 'build', 'web');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmtMs = (x) => `${x.toFixed(1)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function gzipBudget() {
  const widget = fs.readFileSync(path.join(webRoot, 'booking-widget.js'));
  const engineName = /"(slot-engine\.[0-9a-f]+\.js)"/.exec(widget.toString())?.[1] || 'slot-engine.js';
  const wasmName = /"(slot-engine\.[0-9a-f]+\.wasm)"/.exec(widget.toString())?.[1] || 'slot-engine.wasm';
  const files = {
    'booking-widget.js': widget,
    [engineName]: fs.readFileSync(path.join(webRoot, engineName)),
    [wasmName]: fs.readFileSync(path.join(webRoot, wasmName)),
  };
  const sizes = Object.entries(files).map(([name, bytes]) => ({
    name,
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
  }));
  return { sizes, total: sizes.reduce((sum, s) => sum + s.gzip, 0) };
}

const hostPage = (
  serverUrl,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench host</title></head>
<body><div id="spot"></div><script>
window.measureInstall = () => new Promise((resolve) => {
  const t0 = performance.now();
  const script = document.createElement('script');
  script.src = ${JSON.stringify(`${serverUrl}/widget/booking-widget.js`)};
  script.dataset.clinic = 'demo';
  script.async = true;
  document.getElementById('spot').append(script);
  const poll = () => {
    const time = document.querySelector('clinic-booking')?.shadowRoot?.querySelector('.times-panel .time');
    if (time && time.getBoundingClientRect().height > 0) {
      const total = performance.now() - t0;
      const arrived = {};
      for (const entry of performance.getEntriesByType('resource')) {
        const name = new URL(entry.name).pathname.split('/').pop().replace(/\.[0-9a-f]{10}\./, '.');
        arrived[name] = entry.responseEnd - t0;
      }
      resolve({ total, arrived });
    } else requestAnimationFrame(poll);
  };
  poll();
});
</script></body></html>`;

// The host page is answered by the browser itself (page.route) at an address of the
// booking server's origin, so nothing but the widget's own requests reach the network.
async function openHostPage(page, serverUrl) {
  const url = `${serverUrl}/bench-host`;
  await page.route(url, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      headers: { 'Cache-Control': 'no-store' },
      body: hostPage(serverUrl),
    }),
  );
  await page.goto(url);
}

async function main() {
  const server = await startServer({ realClock: true });
  try {
    const budget = gzipBudget();
    console.log('Widget bench (headless Chromium, loopback, real booking-server)');
    for (const s of budget.sizes)
      console.log(`  ${s.name.padEnd(30)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(8)} gzip -9`);
    console.log(`  first load, widget + engine, gzip -9: ${kb(budget.total)} (budget 150 KB)`);

    const cold = [];
    const warm = [];
    let wire = null;
    for (let i = 0; i < runs; i++) {
      const browser = await launchBrowser({ realClock: true });
      try {
        const cdp = await browser.context.newCDPSession(browser.page);
        await cdp.send('Network.enable');
        const received = new Map();
        cdp.on('Network.responseReceived', (e) => received.set(e.requestId, e.response.url));
        const bytes = {};
        cdp.on('Network.loadingFinished', (e) => {
          const url = received.get(e.requestId);
          if (url && url.startsWith(server.url)) bytes[new URL(url).pathname] = e.encodedDataLength;
        });
        await openHostPage(browser.page, server.url);
        cold.push(await browser.page.evaluate(() => window.measureInstall()));
        if (!wire) wire = bytes;
        await openHostPage(browser.page, server.url);
        warm.push((await browser.page.evaluate(() => window.measureInstall())).total);
      } finally {
        await browser.close();
      }
    }
    delete wire['/bench-host']; // the host page is not the widget's
    const wireTotal = Object.values(wire).reduce((a, b) => a + b, 0);
    console.log(`  bytes the widget received on a cold load (as served, incl. headers): ${kb(wireTotal)}`);
    for (const [p, b] of Object.entries(wire)) console.log(`    ${p.padEnd(44)} ${kb(b)}`);
    const coldTotals = cold.map((run) => run.total);
    console.log(
      `  script tag -> first times visible, cold: median ${fmtMs(median(coldTotals))} of ${runs} (min ${fmtMs(Math.min(...coldTotals))}, max ${fmtMs(Math.max(...coldTotals))}) (target < 300 ms)`,
    );
    const names = Object.keys(cold[0].arrived).filter((n) => n !== 'favicon.ico');
    console.log(
      `    where it goes (median ms after the script tag when each response had fully arrived): ${names.map((n) => `${n} ${median(cold.map((run) => run.arrived[n] ?? NaN)).toFixed(0)}`).join(', ')}`,
    );
    const afterLastByte = cold.map((run) => run.total - Math.max(...names.map((n) => run.arrived[n] ?? 0)));
    console.log(
      `    in the page after the last byte (engine start, first query, render): median ${fmtMs(median(afterLastByte))}`,
    );
    console.log(`  script tag -> first times visible, warm: median ${fmtMs(median(warm))} of ${runs}`);

    const browser = await launchBrowser({ realClock: true });
    try {
      await openHostPage(browser.page, server.url);
      await browser.page.evaluate(() => window.measureInstall());
      const timings = await browser.page.evaluate(async () => {
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
      const { dayClicks, monthChanges } = timings;
      console.log(
        `  day click -> its times in the DOM: median ${fmtMs(median(dayClicks))}, max ${fmtMs(Math.max(...dayClicks))} over ${dayClicks.length} clicks (target < 16 ms)`,
      );
      if (monthChanges.length)
        console.log(
          `  month change (engine query + grid): median ${fmtMs(median(monthChanges))}, max ${fmtMs(Math.max(...monthChanges))} over ${monthChanges.length}`,
        );
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
