// Shared by the browser tests: the real booking server on an ephemeral loopback port with
// a fresh database, headless Chromium launched as docs/TOOLCHAIN says, a tiny host-page
// server for a second origin, screenshots under build/test-artifacts/web/, and locators
// for the widget (Playwright's CSS locators pierce open shadow roots).

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// playwright-core lives in web/node_modules; resolve it from there whatever the cwd.
export const requireFromWeb = createRequire(path.join(repoRoot, 'web', 'package.json'));
const { chromium } = requireFromWeb('playwright-core');

export const artifactsDir = path.join(repoRoot, 'build', 'test-artifacts', 'web');
export const TEST_API_KEY = 'test-calendar-key-0123456789';

// Overridable to run the same tests against another build of the server or clinic.
const serverBinary = process.env.SLOTBOOK_BOOKING_SERVER || path.join(repoRoot, 'build', 'bin', 'booking-server');
export const defaultWebRoot = path.join(repoRoot, 'build', 'web');
export const demoClinic = process.env.SLOTBOOK_DEMO_CLINIC || path.join(repoRoot, 'data', 'demo-clinic.json');

// The server (libfaketime) and every browser (Playwright's clock) start their clocks at this
// instant and let them run, so no test depends on the day it runs: a Monday, 08:50 in New
// York. Ten minutes before a grid start, so the first time listed (11:00 with two hours'
// notice) is still bookable when a test confirms it a few seconds later.
export const FAKE_START = '2027-01-11T13:50:00Z';
const FAKETIME_LIBRARY = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

/** libfaketime's spelling of an instant: "@2027-01-11 13:50:00" ("@": the clock then runs). */
const faketimeSpec = (instant) => `@${new Date(instant).toISOString().slice(0, 19).replace('T', ' ')}`;

/**
 * The environment that starts a process's clock at FAKE_START. With `clockFile`, the start
 * is read from that file at every clock call instead (FAKETIME_NO_CACHE: slower, so only
 * for the tests that move the clock), and writing another instant there moves the clock.
 */
function fakeClockEnv(clockFile) {
  if (!fs.existsSync(FAKETIME_LIBRARY))
    throw new Error(`${FAKETIME_LIBRARY} is missing: install the Debian package faketime`);
  const env = { LD_PRELOAD: FAKETIME_LIBRARY, TZ: 'UTC' };
  if (!clockFile) return { ...env, FAKETIME: faketimeSpec(FAKE_START) };
  fs.writeFileSync(clockFile, `${faketimeSpec(FAKE_START)}\n`);
  return { ...env, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1' };
}

/** Starts build/bin/booking-server; resolves to {url, stop()} once it prints its address. */
// `realClock`: the machine's clock instead of FAKE_START (benchmarks time with it).
// `clinic`: another clinic configuration file than the demo clinic.
// `users`: staff accounts made first with `booking-server user add`, each
// {email, password, role, clinic?, practitioner?}.
// `movableClock`: the answer's moveClock(ms) moves the server's clock on by `ms`.
// `webRoot`: another build's widget files than build/web (the widget bench compares two).
export async function startServer({
  allowOrigins = [],
  realClock = false,
  clinic = demoClinic,
  users = [],
  movableClock = false,
  webRoot = defaultWebRoot,
} = {}) {
  for (const file of [serverBinary, clinic, path.join(webRoot, 'booking-widget.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/build first`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-web-test-'));
  const db = path.join(dir, 'bookings.db');
  for (const user of users) {
    const extra = [];
    if (user.clinic) extra.push('--clinic', user.clinic);
    if (user.practitioner) extra.push('--practitioner', user.practitioner);
    execFileSync(serverBinary, ['user', 'add', '--db', db, '--email', user.email, '--role', user.role, ...extra], {
      input: `${user.password}\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
  }
  const args = ['--db', db, '--clinic', clinic, '--web-root', webRoot, '--host', '127.0.0.1', '--port', '0'];
  for (const origin of allowOrigins) args.push('--allow-origin', origin);
  const clockFile = movableClock ? path.join(dir, 'faketime') : null;
  // the server's clock: `fake` when the real clock read `real`, running since
  let clock = { fake: Date.parse(FAKE_START), real: Date.now() };
  const child = spawn(serverBinary, args, {
    env: { ...process.env, ...(realClock ? {} : fakeClockEnv(clockFile)), CALENDAR_API_KEY: TEST_API_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`booking-server did not start in 15 s:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`booking-server exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    log: () => log,
    /** Moves the server's clock `ms` on (libfaketime reads the file at every clock call). */
    moveClock(ms) {
      if (!clockFile) throw new Error('startServer({movableClock: true}) moves the clock');
      const real = Date.now();
      clock = { fake: clock.fake + (real - clock.real) + ms, real };
      fs.writeFileSync(clockFile, `${faketimeSpec(clock.fake)}\n`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Headless Chromium in a fresh profile; `close()` also removes the profile. Its clock
 * starts at FAKE_START unless `realClock` (Playwright's fake clock also drives
 * performance.now(), which a benchmark needs real).
 */
export async function launchBrowser({
  timezoneId = 'America/New_York',
  locale = 'en-US',
  viewport = { width: 1100, height: 900 },
  realClock = false,
} = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    timezoneId,
    locale,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15000);
  if (!realClock) await context.clock.install({ time: FAKE_START });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/favicon/.test(message.location().url || ''))
      problems.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A second origin for host pages: `pages` maps a path to {html, headers}. */
export async function startHostServer(pages) {
  const server = http.createServer((req, res) => {
    const page = pages[new URL(req.url, 'http://host').pathname];
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...(page.headers || {}) });
    res.end(page.html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Locators for the parts of the first widget on the page. */
export function widget(page, host = 'clinic-booking') {
  const root = page.locator(host);
  return {
    root,
    typeSelect: root.locator('.choices select').first(),
    practitionerSelect: root.locator('.choices select').nth(1),
    freeDays: root.locator('td.day.free'),
    selectedDay: root.locator('td.day[aria-selected="true"]'),
    times: root.locator('.times-panel .time'),
    continueButton: root.locator('button[part~="continue"]'),
    field: (name) => root.locator(`[name="${name}"]`),
    confirmButton: root.locator('button[part~="confirm"]'),
    done: root.locator('.done'),
    notice: root.locator('.notice'),
    alternatives: root.locator('.notice .time'),
  };
}

/** The element focused inside the widget's shadow root, described for assertions. */
export function focusedInWidget(page, host = 'clinic-booking') {
  return page.evaluate((selector) => {
    const active = document.querySelector(selector)?.shadowRoot?.activeElement;
    if (!active) return null;
    return {
      tag: active.tagName.toLowerCase(),
      className: active.className,
      name: active.getAttribute('name'),
      text: active.textContent.trim(),
      date: active.dataset.date || null,
      type: active.type || null,
    };
  }, host);
}

export async function fillPatient(
  w,
  { name = 'Ana Ruiz', email = 'ana@example.com', phone = '+1 555 0100', notes = '' } = {},
) {
  await w.field('name').fill(name);
  await w.field('email').fill(email);
  await w.field('phone').fill(phone);
  if (notes) await w.field('notes').fill(notes);
}

/**
 * A clinic configuration file: the demo clinic as `edit(config)` changes it, in a temporary
 * folder that `defer` removes.
 */
export function clinicFile(defer, edit) {
  const config = JSON.parse(fs.readFileSync(demoClinic, 'utf8'));
  edit(config);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-clinic-'));
  defer(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'clinic.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Intake questions of every type, one for therapy only (widget_questions, manage_page). */
export const QUESTIONS = [
  {
    id: 'dob',
    label: { en: 'Date of birth', es: 'Fecha de nacimiento' },
    type: 'date',
    required: true,
    past_only: true,
  },
  {
    id: 'reason',
    label: { en: 'Reason for the visit', es: 'Motivo de la visita' },
    type: 'select',
    required: true,
    options: [
      { value: 'checkup', label: { en: 'Check-up', es: 'Revisión' } },
      { value: 'pain', label: { en: 'Pain', es: 'Dolor' } },
    ],
  },
  { id: 'insurer', label: { en: 'Insurance company', es: 'Aseguradora' }, type: 'text', max_length: 40 },
  { id: 'history', label: 'Anything else we should know?', type: 'textarea' },
  {
    id: 'consent',
    label: { en: "I agree to the clinic's privacy notice", es: 'Acepto el aviso de privacidad de la clínica' },
    type: 'checkbox',
    required: true,
  },
  {
    id: 'goal',
    label: 'What would you like to work on?',
    type: 'text',
    required: true,
    appointment_types: ['therapy'],
  },
];

/** The demo clinic with the questions above and Spanish names. */
export function questionsClinic(defer) {
  return clinicFile(defer, (config) => {
    config.questions = QUESTIONS;
    config.appointment_types[0].names = { en: 'Consultation', es: 'Consulta' };
    config.practitioners[0].names = { es: 'Dra. Ana Lee' };
  });
}

/** Runs `body` with the server and browsers it starts, always cleaning up. */
// The usual start of a browser test: a fresh server and browser (both stopped by `defer`),
// the demo site open (after `beforeLoad(page)`, e.g. an init script), its first times shown.
export async function openDemoSite(defer, { beforeLoad, clinic } = {}) {
  const server = await startServer(clinic ? { clinic } : {});
  defer(server.stop);
  const browser = await launchBrowser();
  defer(browser.close);
  const { page } = browser;
  if (beforeLoad) await beforeLoad(page);
  await page.goto(`${server.url}/`);
  const w = widget(page);
  await w.times.first().waitFor();
  return { server, browser, page, w };
}

/**
 * A booking made through the public API of the server at `serverUrl` (the demo clinic's
 * consultation unless `fields` say otherwise); fails the test unless it is 201. Returns the
 * answer's booking.
 */
export async function bookThroughApi(serverUrl, fields) {
  const created = await fetch(`${serverUrl}/api/v1/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ clinic_id: 'demo', appointment_type: 'consultation', ...fields }),
  });
  const text = await created.text();
  assert.equal(created.status, 201, text);
  return JSON.parse(text).booking;
}

export async function withCleanup(body) {
  const cleanups = [];
  try {
    return await body((fn) => cleanups.push(fn));
  } finally {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  }
}
