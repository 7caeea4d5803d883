// Staff app speed in headless Chromium against the real booking server (real clock).
// Prints figures (never fails on time):
//   1. a week view of 20 practitioners with 1,000 bookings: from its schedule's arrival to
//      the grid in the DOM (synchronous draw) and to the frame after it (layout and paint
//      included); target under 100 ms. The schedule is synthetic (page.route answers
//      GET /api/v1/schedule), the clinic a generated one with 20 practitioners.
//   2. a settings edit (a weekday's hours typed) to the engine's preview of the next 21
//      days redrawn from the edited configuration: the synchronous time of the input event,
//      and to the next frame; target under 16 ms.
// Usage: node bench/web/staff_bench.mjs [runs]   (after scripts/build and node web/build.mjs)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, startServer } from '../../tests/web/support.mjs';

const runs = Number(process.argv[2] || 15);
const PRACTITIONERS = 20;
const BOOKINGS = 1000;
const ADMIN = { email: 'bench@example.com', password: 'bench-pass-0123', role: 'admin', clinic: 'bench' };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

function benchClinic() {
  const hours = Object.fromEntries(
    DAYS.map((d) => [
      d,
      [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ],
    ]),
  );
  return {
    clinic: { id: 'bench', name: 'Bench Clinic', timezone: 'America/New_York', closed_dates: [] },
    rules: { min_notice_minutes: 60, max_advance_days: 90 },
    appointment_types: [
      {
        id: 'consultation',
        name: 'Consultation',
        duration_minutes: 30,
        buffer_after_minutes: 5,
        slot_step_minutes: 15,
      },
      { id: 'follow-up', name: 'Follow-up', duration_minutes: 15 },
    ],
    practitioners: Array.from({ length: PRACTITIONERS }, (_, i) => ({
      id: `p-${String(i + 1).padStart(2, '0')}`,
      name: `Dr. Practitioner ${i + 1}`,
      appointment_types: ['consultation', 'follow-up'],
      weekly_hours: hours,
    })),
  };
}

const addDays = (date, n) => new Date(Date.parse(date) + n * 86400000).toISOString().slice(0, 10);
const STATUSES = ['confirmed', 'confirmed', 'confirmed', 'pending', 'completed', 'no_show', 'cancelled'];

/** 1,000 bookings over the 7 days from `start` for the clinic's practitioners. */
function schedule(start, end) {
  const appointments = [];
  for (let i = 0; i < BOOKINGS; i++) {
    const date = addDays(start, i % 7);
    const practitioner = Math.floor(i / 7) % PRACTITIONERS;
    const slot = Math.floor(i / (7 * PRACTITIONERS)); // 0..7 per column
    const minute = 8 * 60 + slot * 70;
    const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const startUtc = new Date(Date.parse(`${date}T${time}:00Z`) + 5 * 3600000); // EST
    const id = `b_bench_${i}`;
    appointments.push({
      id,
      confirmation_number: `CP-BENCH-${i}`,
      patient_name: `Patient ${i}`,
      date,
      time,
      duration_minutes: i % 3 ? 30 : 45,
      type: 'Consultation',
      appointment_type: 'consultation',
      practitioner_id: `p-${String(practitioner + 1).padStart(2, '0')}`,
      practitioner_name: `Dr. Practitioner ${practitioner + 1}`,
      start: startUtc.toISOString().replace('.000Z', 'Z'),
      end: new Date(startUtc.getTime() + (i % 3 ? 30 : 45) * 60000).toISOString().replace('.000Z', 'Z'),
      status: STATUSES[i % STATUSES.length],
      occupancy_start: startUtc.toISOString(),
      occupancy_end: new Date(startUtc.getTime() + 50 * 60000).toISOString(),
    });
  }
  const busy = Array.from({ length: 40 }, (_, i) => {
    const s = Date.parse(`${addDays(start, i % 5)}T20:00:00Z`);
    return {
      practitioner_id: `p-${String((i % PRACTITIONERS) + 1).padStart(2, '0')}`,
      start: new Date(s).toISOString(),
      end: new Date(s + 3600000).toISOString(),
      source: 'calendar',
    };
  });
  return {
    success: true,
    clinic_id: 'bench',
    timezone: 'America/New_York',
    start_date: start,
    end_date: end,
    appointments,
    busy,
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-staff-bench-'));
  const clinicFile = path.join(dir, 'clinic.json');
  fs.writeFileSync(clinicFile, JSON.stringify(benchClinic()));
  const server = await startServer({ realClock: true, clinic: clinicFile, users: [ADMIN] });
  const browser = await launchBrowser({ realClock: true, viewport: { width: 1600, height: 1000 } });
  try {
    const { page } = browser;
    await page.route('**/api/v1/schedule?*', (route) => {
      const url = new URL(route.request().url());
      const start = url.searchParams.get('start_date');
      const tag = `"bench-${start}"`;
      if (route.request().headers()['if-none-match'] === tag)
        return route.fulfill({ status: 304, headers: { ETag: tag } });
      return route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { ETag: tag },
        body: JSON.stringify(schedule(start, url.searchParams.get('end_date'))),
      });
    });
    await page.goto(`${server.url}/staff`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.locator('form.login button[type="submit"]').click();
    await page.locator('.booking').first().waitFor();

    // 1. week view, 20 practitioners, 1,000 bookings: each run opens another week
    const draws = [];
    const painted = [];
    const today = new URL(page.url()).hash.split('/')[2];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(() => performance.clearMeasures());
      await page.evaluate((hash) => (location.hash = hash), `#/week/${addDays(today, 7 * ((i % 4) + 1))}`);
      await page.waitForFunction(() => performance.getEntriesByName('staff.schedule.painted').length > 0);
      const [draw, paint, count] = await page.evaluate(() => [
        performance.getEntriesByName('staff.schedule.draw')[0].duration,
        performance.getEntriesByName('staff.schedule.painted')[0].duration,
        document.querySelectorAll('.booking').length,
      ]);
      if (count < BOOKINGS * 0.8) throw new Error(`only ${count} blocks drawn`);
      draws.push(draw);
      painted.push(paint);
    }
    const blocks = await page.evaluate(() => document.querySelectorAll('.booking').length);
    const columns = await page.evaluate(() => document.querySelectorAll('.col').length);
    console.log(`Staff app bench (headless Chromium, real booking-server, ${runs} runs)`);
    console.log(`  week view: ${columns} columns, ${blocks} blocks drawn (${BOOKINGS} bookings, cancelled hidden)`);
    console.log(`  schedule data -> grid in the DOM, median (max): ${ms(median(draws))} (${ms(Math.max(...draws))})`);
    console.log(
      `  schedule data -> next frame painted, median (max): ${ms(median(painted))} (${ms(Math.max(...painted))})  target < 100 ms`,
    );

    // 2. settings: a weekday's hours typed -> the preview redrawn from the edited configuration
    await page.evaluate(() => (location.hash = '#/settings'));
    await page.locator('.preview-table tr').first().waitFor();
    await page.locator('#preview-practitioner').selectOption('p-01');
    const edits = await page.evaluate(async (count) => {
      const input = [...document.querySelectorAll('fieldset[data-practitioner="p-01"] .weekly .field')]
        .find((f) => f.textContent.includes('Tuesday'))
        .querySelector('input');
      const sync = [];
      const frame = [];
      for (let i = 0; i < count; i++) {
        input.value = i % 2 ? '08:00-12:00, 13:00-18:00' : '13:00-17:00';
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        sync.push(performance.now() - t0);
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
        frame.push(performance.now() - t0);
      }
      return { sync, frame };
    }, 60);
    console.log(
      `  settings edit -> preview redrawn (engine over the draft), median (max) of 60: ${ms(median(edits.sync))} (${ms(Math.max(...edits.sync))})  target < 16 ms`,
    );
    console.log(`  settings edit -> next frame, median: ${ms(median(edits.frame))}`);
    if (browser.problems.length) console.log(`  page problems: ${browser.problems.join('; ')}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
