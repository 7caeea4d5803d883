// The manage link from a confirmation: the patient sees the booking, moves it to another
// time (picked with the in-page engine), downloads the calendar file, and cancels it; past
// the change deadline it says whom to call, also when the deadline passes while the page is
// open; when the booking changed behind the page's back (the front desk cancelled it, the
// appointment started) it shows it as it is now; it lists the answers to the clinic's
// questions.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import { keyCall } from './staff_support.mjs';
import {
  FAKE_START,
  bookThroughApi,
  clinicFile,
  demoClinic,
  fillPatient,
  launchBrowser,
  openDemoSite,
  questionsClinic,
  screenshot,
  startServer,
  widget,
  withCleanup,
} from './support.mjs';

/**
 * One tab per booking of `bookings` ({key: booking}) on its manage page, the first in the
 * browser's own page, each waited on until its change buttons show. `problems` gathers the
 * other tabs' console errors (the browser's own page has its own list).
 */
async function openManageTabs(browser, server, bookings) {
  const problems = [];
  const tabs = {};
  for (const [key, booking] of Object.entries(bookings)) {
    const page = Object.keys(tabs).length === 0 ? browser.page : await browser.context.newPage();
    if (page !== browser.page) page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(`${server.url}${booking.manage_url}`);
    const m = widget(page, 'clinic-booking-manage');
    await m.root.locator('button[part~="cancel"]').waitFor();
    tabs[key] = { page, m, booking };
  }
  return { tabs, problems };
}

test('manage page: view, reschedule, .ics, cancel', { timeout: 120000 }, () =>
  withCleanup(async (defer) => {
    // the clinic's address: the web calendars' location of an in-person visit
    const clinic = clinicFile(defer, (config) => {
      config.clinic.address = {
        line: ['12 River Street', 'Suite 4'],
        city: 'Springfield',
        state: 'MA',
        postal_code: '01103',
        country: 'US',
      };
    });
    const place = 'Riverside Family Clinic, 12 River Street, Suite 4, Springfield, MA 01103';
    const { browser, page, w } = await openDemoSite(defer, { clinic });
    await w.times.first().click();
    await w.continueButton.click();
    await fillPatient(w, { name: 'Mo Manage', email: 'mo@example.com' });
    await w.confirmButton.click();
    await w.done.waitFor();
    const manageHref = await w.root.locator('a[part~="manage"]').getAttribute('href');
    assert.match(manageHref, /\/manage\?booking=.+&token=.+/);

    // Web calendars: the providers' templates with the booking's own times.
    const answer = await (
      await fetch(manageHref.replace('/manage?booking=', '/api/v1/bookings/').replace('&token=', '?token='))
    ).json();
    const compact = (instant) => instant.replace(/[-:]/g, '');
    const google = new URL(await w.root.locator('a[part~="google-calendar"]').getAttribute('href'));
    assert.equal(google.origin + google.pathname, 'https://calendar.google.com/calendar/render');
    assert.equal(google.searchParams.get('action'), 'TEMPLATE');
    assert.equal(google.searchParams.get('dates'), `${compact(answer.booking.start)}/${compact(answer.booking.end)}`);
    assert.match(google.searchParams.get('text'), /with Dr\./);
    assert.equal(google.searchParams.get('location'), place);
    const outlook = new URL(await w.root.locator('a[part~="outlook-calendar"]').getAttribute('href'));
    assert.equal(outlook.hostname, 'outlook.live.com');
    assert.equal(outlook.searchParams.get('startdt'), answer.booking.start);
    assert.equal(outlook.searchParams.get('enddt'), answer.booking.end);
    assert.equal(outlook.searchParams.get('location'), place);

    await page.goto(manageHref);
    const m = widget(page, 'clinic-booking-manage');
    await m.root.locator('dl.details').waitFor();
    const manageGoogle = new URL(await m.root.locator('a[part~="google-calendar"]').getAttribute('href'));
    assert.equal(manageGoogle.searchParams.get('dates'), google.searchParams.get('dates'));
    assert.equal(manageGoogle.searchParams.get('location'), place);
    const manageOutlook = new URL(await m.root.locator('a[part~="outlook-calendar"]').getAttribute('href'));
    assert.equal(manageOutlook.searchParams.get('location'), place);
    const before = await m.root.locator('dl.details').textContent();
    assert.match(before, /Mo Manage/);
    assert.match(before, /CP-\d{8}-/);
    await screenshot(page, 'manage-1-booking');

    await m.root.locator('button[part~="reschedule"]').click();
    await m.times.first().waitFor();
    const newTime = m.times.nth(Math.min(2, (await m.times.count()) - 1));
    await newTime.click();
    await screenshot(page, 'manage-2-reschedule');
    await m.root.locator('button[part~="primary"]').click();
    await m.root.locator('.notice.success').waitFor();
    assert.match(await m.root.locator('.notice.success').textContent(), /moved to/);
    assert.notEqual(await m.root.locator('dl.details').textContent(), before, 'the time changed');
    await screenshot(page, 'manage-3-rescheduled');

    const icsHref = await m.root.locator('a[part~="ics"]').getAttribute('href');
    const ics = await (await fetch(icsHref)).text();
    assert.match(ics, /SEQUENCE:1/);

    await m.root.locator('button[part~="cancel"]').click();
    await m.root.locator('textarea').fill('Feeling better');
    await m.root.locator('button[part~="confirm-cancel"]').click();
    await m.root.locator('.status.cancelled').waitFor();
    await screenshot(page, 'manage-4-cancelled');
    assert.match(await (await fetch(icsHref)).text(), /STATUS:CANCELLED/);
    assert.deepEqual(browser.problems, []);

    // a wrong token finds nothing, and says so
    await page.goto(manageHref.replace(/token=[^&]+/, 'token=wrong'));
    await m.root.locator('.notice.error').waitFor();
    assert.match(await m.root.locator('.notice.error').textContent(), /could not find this booking/);
  }),
);

// The clinic's change policy: a booking inside its notice cannot be changed online; the page
// says until when it could have been, and whom to call.
test('manage page: past the change deadline, call the clinic', { timeout: 120000 }, (t) =>
  withCleanup(async (defer) => {
    const config = JSON.parse(fs.readFileSync(demoClinic, 'utf8'));
    config.rules = { ...config.rules, min_change_notice_minutes: 30 * 24 * 60 };
    config.clinic = { ...config.clinic, phone: '+1 212 555 0100' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-policy-'));
    defer(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const clinic = path.join(dir, 'clinic.json');
    fs.writeFileSync(clinic, JSON.stringify(config));
    const { browser, page, w } = await openDemoSite(defer, { clinic });
    await w.times.first().click();
    await w.continueButton.click();
    await fillPatient(w, { name: 'Lia Late', email: 'lia@example.com' });
    // The policy is said before booking (under Confirm) and in the confirmation.
    const expected =
      /online until 30 days before the appointment\. After that, please call the clinic at \+1 212 555 0100/;
    assert.match(await w.root.locator('form [part~="change-policy"]').textContent(), expected);
    await w.confirmButton.click();
    await w.done.waitFor();
    assert.match(await w.root.locator('[part~="confirmation"] [part~="change-policy"]').textContent(), expected);
    await page.goto(await w.root.locator('a[part~="manage"]').getAttribute('href'));
    const m = widget(page, 'clinic-booking-manage');
    const policy = m.root.locator('[part~="change-policy"]');
    await policy.waitFor();
    assert.match(await policy.textContent(), /possible until .+call the clinic at \+1 212 555 0100/);
    assert.equal(await m.root.locator('button[part~="cancel"]').count(), 0);
    assert.equal(await m.root.locator('button[part~="reschedule"]').count(), 0);
    const audit = auditor(t, { prefix: 'manage-' });
    await audit.check(page, '5-too-late');
    audit.assertClean();
    assert.deepEqual(browser.problems, []);
  }),
);

// The deadline passes while the page is open (the server's clock moves on): the server
// refuses the cancel and the reschedule (409 too_late_to_change with the deadline and the
// clinic's phone), and the page says what it says when it opens past the deadline, the
// change buttons gone and the text announced, not a generic error nor "time taken"; in
// English and in Spanish; axe finds nothing to fault.
test('manage page: the deadline passes while the page is open', { timeout: 120000 }, (t) =>
  withCleanup(async (defer) => {
    const clinic = clinicFile(defer, (config) => {
      config.rules = { ...config.rules, min_change_notice_minutes: 24 * 60 };
      config.clinic = { ...config.clinic, phone: '+1 212 555 0100' };
    });
    const server = await startServer({ clinic, movableClock: true });
    defer(server.stop);
    // Wednesday at 10, 11 and 12 in New York: changes possible until the day before
    const book = (start, name, language) =>
      bookThroughApi(server.url, {
        practitioner_id: 'dr-patel',
        start,
        patient: { name, email: 'late@example.com', language },
      });
    const bookings = {
      cancel: await book('2027-01-13T15:00:00Z', 'Lou Late', 'en'),
      reschedule: await book('2027-01-13T16:00:00Z', 'Rae Late', 'en'),
      es: await book('2027-01-13T17:00:00Z', 'Leo Tarde', 'es'),
    };
    const browser = await launchBrowser();
    defer(browser.close);
    // one tab per booking, each opened while changes are still allowed
    const { tabs, problems } = await openManageTabs(browser, server, bookings);
    for (const { m } of Object.values(tabs)) {
      assert.equal(await m.root.locator('[part~="change-policy"]').count(), 0);
    }
    server.moveClock(47 * 3600 * 1000); // Wednesday 07:50 in New York: past every deadline

    /** The late notice once the refusal is shown: its text, which the page also announced. */
    const refused = async ({ page, m }) => {
      const policy = m.root.locator('[part~="change-policy"]');
      await policy.waitFor();
      const text = (await policy.textContent()).trim();
      await page.waitForFunction(
        (expected) =>
          document.querySelector('clinic-booking-manage').shadowRoot.querySelector('[aria-live]').textContent ===
          expected,
        text,
      );
      assert.equal(await m.root.locator('.notice.error').count(), 0, 'no generic error');
      assert.doesNotMatch(await m.root.textContent(), /went wrong|just taken/);
      assert.equal(await m.root.locator('button[part~="cancel"]').count(), 0);
      assert.equal(await m.root.locator('button[part~="reschedule"]').count(), 0);
      return text;
    };
    /** The same text as the page says when it opens past the deadline. */
    const asWhenOpened = async ({ page, m }, text) => {
      await page.reload();
      await m.root.locator('[part~="change-policy"]').waitFor();
      assert.equal((await m.root.locator('[part~="change-policy"]').textContent()).trim(), text);
    };
    const audit = auditor(t, { prefix: 'manage-' });

    // Cancel: refused, told whom to call
    const cancel = tabs.cancel;
    await cancel.m.root.locator('button[part~="cancel"]').click();
    await cancel.m.root.locator('button[part~="confirm-cancel"]').click();
    const cancelText = await refused(cancel);
    assert.match(cancelText, /^Changes online were possible until .+call the clinic at \+1 212 555 0100\.$/);
    await audit.check(cancel.page, '7-refused-too-late');
    await asWhenOpened(cancel, cancelText);

    // Reschedule: a time picked, the move refused the same way (not "time taken")
    const move = tabs.reschedule;
    await move.m.root.locator('button[part~="reschedule"]').click();
    await move.m.times.first().waitFor();
    await move.m.times.nth(1).click();
    await move.m.root.locator('button[part~="primary"]').click();
    const moveText = await refused(move);
    assert.match(moveText, /^Changes online were possible until .+call the clinic at \+1 212 555 0100\.$/);
    await asWhenOpened(move, moveText);

    // in the patient's Spanish
    const es = tabs.es;
    await es.m.root.locator('button[part~="cancel"]').click();
    await es.m.root.locator('button[part~="confirm-cancel"]').click();
    const esText = await refused(es);
    assert.match(
      esText,
      /^Los cambios en línea eran posibles hasta el (lunes|martes|miércoles|jueves|viernes|sábado|domingo), .+llame a la clínica al \+1 212 555 0100\.$/,
    );
    await audit.check(es.page, '8-refused-too-late-es');
    await asWhenOpened(es, esText);

    for (const booking of Object.values(bookings)) {
      const token = new URL(booking.manage_url, server.url).searchParams.get('token');
      const now = await (await fetch(`${server.url}/api/v1/bookings/${booking.id}?token=${token}`)).json();
      assert.equal(now.booking.status, 'confirmed', 'nothing changed');
      assert.equal(now.booking.start, booking.start);
    }
    audit.assertClean();
    // the refusals' 409s are logged by Chromium, nothing else
    assert.deepEqual(
      [...browser.problems, ...problems].filter((p) => !/status of 409/.test(p)),
      [],
    );
  }),
);

// The booking changes behind the page's back: the front desk cancels it (staff API), or the
// appointment starts (the server's clock moves on), while the patient has the page open.
// The server refuses the reschedule or cancel (409 invalid_state), and the page loads the
// booking again and shows it as it is now with a calm line, announced, not "time taken" nor
// a generic error; in English and in Spanish; axe finds nothing to fault. A cancel of a
// booking the front desk cancelled already is no refusal (the server answers with the
// cancelled booking): the page says it is cancelled.
test('manage page: the booking changed while the page is open', { timeout: 120000 }, (t) =>
  withCleanup(async (defer) => {
    const server = await startServer({ movableClock: true });
    defer(server.stop);
    const book = (start, name, language) =>
      bookThroughApi(server.url, {
        practitioner_id: 'dr-patel',
        start,
        patient: { name, email: 'changed@example.com', language },
      });
    const bookings = {
      // Wednesday at 10 and 11 in New York
      reschedule: await book('2027-01-13T15:00:00Z', 'Ray Moved', 'en'),
      cancel: await book('2027-01-13T16:00:00Z', 'Cal Gone', 'en'),
      // today (Monday) at 11 in New York: starts while the page is open
      started: await book('2027-01-11T16:00:00Z', 'Inés Empezada', 'es'),
    };
    const browser = await launchBrowser();
    defer(browser.close);
    const { tabs, problems } = await openManageTabs(browser, server, bookings);
    const current = async (booking) => {
      const token = new URL(booking.manage_url, server.url).searchParams.get('token');
      return (await (await fetch(`${server.url}/api/v1/bookings/${booking.id}?token=${token}`)).json()).booking;
    };
    const deskCancel = async (booking) => {
      const r = await keyCall(server.url, 'DELETE', `/api/calendar/appointments/${booking.id}`, {
        reason: 'Patient called the front desk',
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal((await current(booking)).status, 'cancelled');
    };

    /** The calm line once the refusal is shown: its text, which the page also announced. */
    const shownAsNow = async ({ page, m }) => {
      const notice = m.root.locator('.notice.calm');
      await notice.waitFor();
      const text = (await notice.textContent()).trim();
      await page.waitForFunction(
        (expected) =>
          document.querySelector('clinic-booking-manage').shadowRoot.querySelector('[aria-live]').textContent ===
          expected,
        text,
      );
      assert.equal(await m.root.locator('.notice.error').count(), 0, 'no generic error');
      assert.doesNotMatch(await m.root.textContent(), /went wrong|just taken|algo falló|acaba de reservar/i);
      assert.equal(await m.root.locator('button[part~="cancel"]').count(), 0);
      assert.equal(await m.root.locator('button[part~="reschedule"]').count(), 0);
      return text;
    };
    const audit = auditor(t, { prefix: 'manage-' });

    // Reschedule of a booking the front desk cancelled: a time picked, the move refused,
    // the booking shown cancelled
    const move = tabs.reschedule;
    await deskCancel(move.booking);
    await move.m.root.locator('button[part~="reschedule"]').click();
    await move.m.times.first().waitFor();
    await move.m.times.nth(1).click();
    await move.m.root.locator('button[part~="primary"]').click();
    assert.equal(
      await shownAsNow(move),
      'This booking has changed since you opened this page. Here it is as it is now.',
    );
    await move.m.root.locator('.status.cancelled').waitFor();
    assert.match(await move.m.root.locator('.header').textContent(), /Cancelled/);
    assert.match(await move.m.root.locator('dl.details').textContent(), /Ray Moved/);
    await audit.check(move.page, '9-changed-cancelled');
    const moved = await current(move.booking);
    assert.equal(moved.status, 'cancelled');
    assert.equal(moved.start, move.booking.start, 'not moved');

    // Cancel of a booking the front desk cancelled: done already, said so
    const cancel = tabs.cancel;
    await deskCancel(cancel.booking);
    await cancel.m.root.locator('button[part~="cancel"]').click();
    await cancel.m.root.locator('button[part~="confirm-cancel"]').click();
    await cancel.m.root.locator('.status.cancelled').waitFor();
    assert.equal(
      (await cancel.m.root.locator('.notice.success').textContent()).trim(),
      'Your appointment is cancelled.',
    );
    assert.equal(await cancel.m.root.locator('.notice.error').count(), 0, 'no generic error');
    assert.doesNotMatch(await cancel.m.root.textContent(), /went wrong|just taken/);

    // Cancel once the appointment started (server and browser clocks past 11:00), in the
    // patient's Spanish: refused, the booking shown as it is now (no change offered)
    const started = tabs.started;
    server.moveClock(150 * 60 * 1000);
    await browser.context.clock.setSystemTime(Date.parse(FAKE_START) + 160 * 60 * 1000);
    await started.m.root.locator('button[part~="cancel"]').click();
    await started.m.root.locator('button[part~="confirm-cancel"]').click();
    assert.equal(await shownAsNow(started), 'Esta cita ha cambiado desde que abrió esta página. Así está ahora.');
    assert.match(await started.m.root.locator('.header').textContent(), /Confirmada/);
    assert.match(await started.m.root.locator('dl.details').textContent(), /Inés Empezada/);
    await audit.check(started.page, '10-changed-started-es');
    assert.equal((await current(started.booking)).status, 'confirmed', 'not cancelled');

    audit.assertClean();
    // the refusals' 409s are logged by Chromium, nothing else
    assert.deepEqual(
      [...browser.problems, ...problems].filter((p) => !/status of 409/.test(p)),
      [],
    );
  }),
);

// The clinic's questions: the booking's answers, worded by the server in the patient's
// language, are listed on the manage page (part="answers"), with the type and practitioner
// under their Spanish names; axe finds nothing to fault.
test('manage page: the answers to the clinic questions, in Spanish', { timeout: 60000 }, (t) =>
  withCleanup(async (defer) => {
    const server = await startServer({ clinic: questionsClinic(defer) });
    defer(server.stop);
    const booking = await bookThroughApi(server.url, {
      practitioner_id: 'dr-lee',
      start: '2027-01-12T15:00:00Z',
      patient: { name: 'Lucía Gómez', email: 'lucia@example.com', language: 'es' },
      answers: { dob: '1990-02-03', reason: 'checkup', consent: true },
    });
    assert.deepEqual(
      booking.answers.map((a) => [a.id, a.label, a.text]),
      [
        ['dob', 'Fecha de nacimiento', booking.answers[0].text],
        ['reason', 'Motivo de la visita', 'Revisión'],
        ['consent', 'Acepto el aviso de privacidad de la clínica', 'Sí'],
      ],
    );
    const browser = await launchBrowser({ locale: 'es-ES' });
    defer(browser.close);
    const { page } = browser;
    await page.goto(`${server.url}${booking.manage_url}`);
    const m = widget(page, 'clinic-booking-manage');
    const list = m.root.locator('dl[part~="answers"]');
    await list.waitFor();
    assert.deepEqual(await list.locator('dt').allTextContents(), [
      'Fecha de nacimiento',
      'Motivo de la visita',
      'Acepto el aviso de privacidad de la clínica',
    ]);
    assert.deepEqual((await list.locator('dd').allTextContents()).slice(1), ['Revisión', 'Sí']);
    assert.match(await m.root.locator('.header').textContent(), /Su cita/);
    assert.match(await m.root.locator('dl.details').first().textContent(), /Consulta con Dra\. Ana Lee/);
    const audit = auditor(t, { prefix: 'manage-' });
    await audit.check(page, '6-answers-es');
    audit.assertClean();
    assert.deepEqual(browser.problems, []);
  }),
);
