// The staff app end to end in Chromium against the real server: sign in; a booking made
// through the widget on the demo site shows in the day view, and one made elsewhere appears
// by itself (polling with If-None-Match); one booking is rescheduled with the keyboard
// alone (free times from the in-page engine); a phone booking, with the server's field
// errors next to the fields first; a booking that has started is marked no-show; a weekday's hours are changed in settings (the preview changes, the warning
// names the booking the new hours leave outside, save) and the widget then offers the new
// hours; a session ended behind the app's back brings the login and then the same view
// back; log out. A front-desk user sees no settings or keys, and the server refuses them.
//
// The server's clock runs from FAKE_START (08:50 New York) in real time, and a no-show
// needs a booking that has started: the setup lets follow-ups be booked without notice and
// opens Dr. Lee's day at 08:51, books one then, and the test marks it once 08:51 is past.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillPatient, launchBrowser, screenshot, startServer, widget, withCleanup } from './support.mjs';
import { ADMIN, DESK, USERS, cspViolations, keyCall, signIn, watchCsp } from './staff_support.mjs';

const TODAY = '2027-01-11';
const TUESDAY = '2027-01-12';

/** Presses Tab until `predicate(activeElement)` holds (at most `max` times). */
async function tabTo(page, predicate, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate)) return;
  }
  throw new Error(`Tab never reached ${predicate}`);
}

test(
  'staff app: sign in, schedule, reschedule by keyboard, phone booking, no-show, settings, roles',
  { timeout: 150000 },
  () =>
    withCleanup(async (defer) => {
      const server = await startServer({ users: USERS });
      const serverStarted = Date.now();
      defer(server.stop);

      // setup through the API: a follow-up that starts at 08:51, and a Tuesday 10:00 booking
      const { body: current } = await keyCall(server.url, 'GET', '/api/calendar/clinic');
      const config = current.clinic;
      config.appointment_types.find((x) => x.id === 'follow-up').min_notice_minutes = 0;
      const lee = config.practitioners.find((p) => p.id === 'dr-lee');
      lee.overrides = [
        ...(lee.overrides || []),
        {
          date: TODAY,
          hours: [
            { start: '08:51', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
        },
      ];
      assert.equal((await keyCall(server.url, 'PUT', '/api/calendar/clinic', config)).status, 200);
      const book = (patient, date, time, type) =>
        keyCall(server.url, 'POST', '/api/calendar/appointments', {
          clinic_id: 'demo',
          patient_name: patient,
          date,
          time,
          appointment_type: type,
          practitioner_id: 'dr-lee',
        });
      const early = await book('Nora Noshow', TODAY, '08:51', 'follow-up');
      assert.equal(early.status, 201, JSON.stringify(early.body));
      const tuesday = await book('Tess Tuesday', TUESDAY, '10:00', 'consultation');
      assert.equal(tuesday.status, 201, JSON.stringify(tuesday.body));

      const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
      defer(browser.close);
      const { page } = browser;
      let passed = false;
      // a failure leaves a picture of where it stopped
      defer(async () => {
        if (!passed) await screenshot(page, 'staff-app-failure');
      });
      await watchCsp(page);

      // a patient books through the widget on the demo site
      await page.goto(`${server.url}/`);
      const w = widget(page);
      await w.times.first().waitFor();
      await w.times.first().click();
      await w.continueButton.click();
      await fillPatient(w, { name: 'Wendy Widget', email: 'wendy@example.com' });
      await w.confirmButton.click();
      await w.done.waitFor();

      // sign in: today's day view shows it
      await signIn(page, server.url, ADMIN);
      assert.match(page.url(), /#\/day\/2027-01-11$/);
      const block = (name) => page.locator('.booking', { hasText: name });
      await block('Wendy Widget').waitFor();
      await block('Nora Noshow').waitFor();
      assert.match(await block('Wendy Widget').getAttribute('class'), /status-confirmed/);
      assert.equal((await page.locator('.now').count()) > 0, true, 'a now line on today');
      await screenshot(page, 'staff-day');

      // a booking made elsewhere appears by itself: the schedule is polled (304 while unchanged)
      const polls = [];
      page.on('response', (r) => r.url().includes('/api/v1/schedule?') && polls.push(r.status()));
      assert.equal((await book('Polly Poll', TODAY, '15:00', 'follow-up')).status, 201);
      await block('Polly Poll').waitFor({ timeout: 12000 });

      // reschedule Wendy with the keyboard only
      await tabTo(page, () => document.activeElement.classList.contains('booking'));
      for (
        let i = 0;
        i < 10 && !/Wendy Widget/.test(await page.evaluate(() => document.activeElement.textContent));
        i++
      )
        await page.keyboard.press(i < 5 ? 'ArrowDown' : 'ArrowRight');
      assert.match(await page.evaluate(() => document.activeElement.textContent), /Wendy Widget/);
      await page.keyboard.press('Enter');
      const dialog = page.locator('dialog[open]');
      await dialog.waitFor();
      await dialog.locator('.history li').first().waitFor();
      await screenshot(page, 'staff-booking-panel');
      await tabTo(page, () => document.activeElement.textContent === 'Reschedule');
      await page.keyboard.press('Enter');
      await dialog.locator('.slot-picker .time').first().waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.name), 'date', 'focus on the day choice');
      const firstDay = await page.evaluate(() => document.activeElement.value);
      await page.keyboard.press('ArrowDown'); // the next day with free times: its times at once
      const newDay = await page.evaluate(() => document.activeElement.value);
      assert.notEqual(newDay, firstDay);
      await page.keyboard.press('Tab'); // into the times
      assert.equal(await page.evaluate(() => document.activeElement.type), 'radio');
      await page.keyboard.press('Space');
      await screenshot(page, 'staff-reschedule');
      await tabTo(page, () => document.activeElement.textContent === 'Move to this time');
      await page.keyboard.press('Enter');
      await dialog.locator('.notice.success', { hasText: 'Moved to' }).waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      const wendyId = await page.evaluate(async () => {
        const r = await fetch('/api/v1/appointments/search?q=Wendy');
        return (await r.json()).appointments[0].id;
      });
      const { body: moved } = await keyCall(server.url, 'GET', `/api/calendar/appointments/${wendyId}`);
      assert.equal(moved.appointment.date, newDay);
      assert.equal(moved.appointment.sequence, 1);
      await block('Wendy Widget').waitFor({ state: 'detached' }); // gone from today's view

      // a phone booking: the server's field errors show next to the fields
      await page.locator('nav a', { hasText: 'New booking' }).click();
      await page.locator('select[name="appointment_type"]').selectOption('follow-up');
      await page.locator('.slot-picker .time input').first().check();
      await page.locator('form.new-booking button[type="submit"]').click();
      const nameField = page.locator('input[name="patient_name"]');
      await page.locator('input[name="patient_name"][aria-invalid="true"]').waitFor();
      assert.notEqual(await page.locator(`#${await nameField.getAttribute('id')}-error`).textContent(), '');
      await screenshot(page, 'staff-new-errors');
      await nameField.fill('Phil Phone');
      await page.locator('input[name="patient_phone"]').fill('+1 201 555 0123');
      await page.locator('input[name="sms_opt_in"]').check();
      await page.locator('.slot-picker .time input').first().check();
      await page.locator('form.new-booking button[type="submit"]').click();
      await page.locator('.notice.success', { hasText: 'Booked: CP-' }).waitFor();
      await screenshot(page, 'staff-new-booked');
      const found = await page.evaluate(
        async () => (await (await fetch('/api/v1/appointments/search?q=0123')).json()).appointments,
      );
      assert.equal(found.length, 1);
      assert.equal(found[0].source, 'staff');

      // search finds it by name
      await page.locator('nav a', { hasText: 'Search' }).click();
      await page.locator('input[name="q"]').fill('Phil');
      await page.keyboard.press('Enter');
      await page.locator('.result', { hasText: 'Phil Phone' }).waitFor();

      // the 08:51 booking has started (server clock): mark it no-show; the day view waits
      // for it (polling: 304s while nothing changes)
      await page.locator('nav a', { hasText: 'Day' }).click();
      await block('Nora Noshow').waitFor();
      const wait = 62000 - (Date.now() - serverStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await block('Nora Noshow').click();
      await dialog.locator('button', { hasText: 'Mark no-show' }).click();
      await dialog.locator('.notice.success', { hasText: 'No-show' }).waitFor();
      await page.keyboard.press('Escape');
      await page.locator('.booking.status-no_show', { hasText: 'Nora Noshow' }).waitFor();

      // settings: Dr. Lee's Tuesdays start at 13:00
      await page.locator('nav a', { hasText: 'Settings' }).click();
      await page.locator('#preview-practitioner').selectOption('dr-lee');
      const tuesdayRow = page.locator(`.preview-table tr[data-date="${TUESDAY}"] td`);
      const before = await tuesdayRow.textContent();
      assert.match(before, /\d+ free, (9|10|11):\d\d AM/);
      const tuesdayHours = page
        .locator('fieldset[data-practitioner="dr-lee"] .weekly .field', { hasText: 'Tuesday' })
        .locator('input');
      await tuesdayHours.fill('13:00-17:00');
      const after = await tuesdayRow.textContent();
      assert.match(after, /free, 1:00 PM–4:30 PM/, 'the preview follows the edit at once');
      assert.notEqual(after, before);
      await page.locator('.outside-hours', { hasText: 'Tess Tuesday' }).waitFor();
      await screenshot(page, 'staff-settings-warning');
      await page.locator('.save-bar button', { hasText: 'Save settings' }).click();
      await page.locator('.notice.success', { hasText: 'Settings saved.' }).waitFor();
      const { body: saved } = await keyCall(server.url, 'GET', '/api/calendar/clinic');
      assert.deepEqual(saved.clinic.practitioners.find((p) => p.id === 'dr-lee').weekly_hours.tuesday, [
        { start: '13:00', end: '17:00' },
      ]);

      // a refused configuration: the engine's message, nothing saved
      const duration = page
        .locator('fieldset', { hasText: 'Consultation' })
        .locator('.field', { hasText: 'Duration' })
        .locator('input')
        .first();
      await duration.fill('999');
      await page.locator('.save-bar button', { hasText: 'Save settings' }).click();
      await page.locator('.save-bar .notice.error', { hasText: 'duration_minutes' }).waitFor();
      const { body: unchanged } = await keyCall(server.url, 'GET', '/api/calendar/clinic');
      assert.equal(unchanged.clinic.appointment_types[0].duration_minutes, 30);

      assert.ok(polls.includes(304), `the schedule was asked again with its ETag: ${polls}`);

      // the session ends behind the app's back: the next request shows the login, and
      // signing in again returns to the same view
      await page.context().clearCookies();
      await page.evaluate(() => (location.hash = '#/search?q=Phil'));
      await page.locator('.notice', { hasText: 'Your session ended.' }).waitFor();
      await page.locator('input[name="email"]').fill(ADMIN.email);
      await page.locator('input[name="password"]').fill(ADMIN.password);
      await page.locator('form.login button[type="submit"]').click();
      await page.locator('.result', { hasText: 'Phil Phone' }).waitFor();
      assert.match(page.url(), /#\/search\?q=Phil$/);

      // log out
      await page.locator('button', { hasText: /^Log out$/ }).click();
      await page.locator('form.login').waitFor();
      await page.locator('.notice', { hasText: 'You are signed out.' }).waitFor();
      assert.deepEqual(await cspViolations(page), []);

      // the widget offers Dr. Lee's new Tuesday hours
      await page.goto(`${server.url}/`);
      await w.times.first().waitFor();
      await w.practitionerSelect.selectOption('dr-lee');
      await w.root.locator(`td[data-date="${TUESDAY}"]`).click();
      await w.times.first().waitFor();
      assert.match(await w.times.first().textContent(), /1:00/);

      // a front-desk user: no settings or keys, and the server refuses them anyway
      await signIn(page, server.url, DESK);
      const menu = await page.locator('nav').textContent();
      assert.doesNotMatch(menu, /Settings|API keys|Webhooks|Audit log/);
      assert.match(menu, /New booking/);
      const keys = await page.evaluate(async () => (await fetch('/api/v1/keys')).status);
      assert.equal(keys, 403);
      await page.goto(`${server.url}/staff#/settings`);
      await page.locator('h1', { hasText: 'There is no such page.' }).waitFor();
      await screenshot(page, 'staff-front-desk');
      assert.deepEqual(await cspViolations(page), []);
      // Chromium logs every failed response as a console error: exactly the four this test
      // provokes (the missing name, the refused configuration, the ended session, the front
      // desk's keys), no other
      const provoked = (status) => `console: Failed to load resource: the server responded with a status of ${status}`;
      assert.deepEqual(
        browser.problems.map((p) => p.replace(/ \(.*\)$/, '')),
        [provoked(400), provoked(422), provoked(401), provoked(403)],
      );
      passed = true;
    }),
);
