// axe-core WCAG 2.1 A/AA on every view of the staff app (login, day, week, a booking's
// panel and its reschedule picker, new booking with field errors, search, settings with the
// outside-hours warning, keys with a new secret, webhooks, calendars with the server's
// error, audit) at 1280 px and 320 px wide: no violations. Screenshots of each go to
// build/test-artifacts/web/staff-<view>-<width>.png. Then keyboard checks: the skip link,
// the grid's arrow keys, the dialog's focus trap, Escape and focus restored.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import { launchBrowser, startServer, withCleanup } from './support.mjs';
import { ADMIN, LEE, USERS, cspViolations, keyCall, signIn, watchCsp } from './staff_support.mjs';

const TODAY = '2027-01-11';

async function walkViews(page, url, audit, width) {
  const check = (name) => audit.check(page, `${name}-${width}`);
  const go = async (hash, ready) => {
    await page.goto(`${url}/staff${hash}`);
    await page.locator(ready).first().waitFor();
  };
  await go(`#/day/${TODAY}`, '.booking');
  await check('day');
  await go(`#/week/${TODAY}`, '.booking');
  await check('week');

  await go(`#/day/${TODAY}`, '.booking');
  await page.locator('.booking', { hasText: 'Ada Access' }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.locator('.history li').first().waitFor();
  await check('booking-panel');
  await dialog.locator('button', { hasText: 'Reschedule' }).click();
  await dialog.locator('.slot-picker .time').first().waitFor();
  await dialog.locator('.slot-picker .time input').first().check();
  await check('booking-reschedule');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await go('#/new', '.slot-picker .time');
  await page.locator('.slot-picker .time input').first().check();
  await page.locator('input[name="patient_email"]').fill('not-an-email');
  await page.locator('form.new-booking button[type="submit"]').click();
  await page.locator('input[name="patient_name"][aria-invalid="true"]').waitFor();
  await check('new-booking');

  await go('#/search?q=Access', '.result');
  await check('search');

  await go('#/settings', '.preview-table tr');
  await page
    .locator('fieldset[data-practitioner="dr-lee"] .weekly .field', { hasText: 'Tuesday' })
    .locator('input')
    .fill('14:00-17:00');
  await page.locator('.outside-hours').waitFor();
  await check('settings');

  await go('#/keys', 'form');
  await page.locator('input[name="name"]').fill(`front desk PC ${width}`);
  await page.locator('button', { hasText: 'Create key' }).click();
  await page.locator('.secret-box').waitFor();
  await check('keys');

  await go('#/webhooks', 'form');
  await check('webhooks');

  await go('#/calendars', '.cards .card');
  await page.locator('button', { hasText: 'Connect Google Calendar' }).first().click();
  await page.locator('.cards .notice.error').first().waitFor();
  await check('calendars');

  await go('#/audit', 'tbody tr');
  await check('audit');
}

test('staff app: no WCAG 2.1 A/AA violations in any view at 1280 and 320 px; keyboard', { timeout: 150000 }, (t) =>
  withCleanup(async (defer) => {
    const server = await startServer({ users: USERS });
    defer(server.stop);
    for (const [patient, date, time] of [
      ['Ada Access', TODAY, '11:00'],
      ['Ben Bookable', TODAY, '13:00'],
      ['Tom Tuesday', '2027-01-12', '10:00'],
    ]) {
      const r = await keyCall(server.url, 'POST', '/api/calendar/appointments', {
        clinic_id: 'demo',
        patient_name: patient,
        patient_email: `${patient.split(' ')[0].toLowerCase()}@example.com`,
        date,
        time,
        appointment_type: 'consultation',
        practitioner_id: 'dr-lee',
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const audit = auditor(t, { prefix: 'staff-' });
    const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    defer(browser.close);
    const { page } = browser;
    await watchCsp(page);

    // the login page, and its error
    await page.goto(`${server.url}/staff`);
    await page.locator('form.login').waitFor();
    await audit.check(page, 'login-1280');
    await page.setViewportSize({ width: 320, height: 720 });
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill('wrong-password-0');
    await page.locator('form.login button[type="submit"]').click();
    await page.locator('form.login .notice.error').waitFor();
    await audit.check(page, 'login-320');
    await page.setViewportSize({ width: 1280, height: 900 });

    await signIn(page, server.url, ADMIN);
    await walkViews(page, server.url, audit, 1280);
    await page.setViewportSize({ width: 320, height: 720 });
    await walkViews(page, server.url, audit, 320);
    await page.setViewportSize({ width: 1280, height: 900 });

    // keyboard: the skip link first, and it moves focus to the content
    await page.goto(`${server.url}/staff#/day/${TODAY}`);
    await page.locator('.booking').first().waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'content');

    // the grid: one tab stop, arrows move between bookings
    for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement.classList.contains('booking'))); i++)
      await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.dataset.id);
    assert.ok(first, 'Tab reaches the grid');
    assert.equal(await page.locator('.booking[tabindex="0"]').count(), 1, 'one tab stop in the grid');
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement.dataset.id);
    assert.notEqual(second, first, 'ArrowDown moves to the next booking');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), first);

    // the panel: Enter opens it, Tab stays inside, Escape closes, focus comes back
    await page.keyboard.press('Enter');
    await page.locator('dialog[open] .history li').first().waitFor();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
      assert.equal(
        await page.evaluate(() => Boolean(document.activeElement.closest('dialog[open]'))),
        true,
        'focus stays in the dialog',
      );
    }
    await page.keyboard.press('Escape');
    await page.locator('dialog').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.id), first, 'focus back on the booking');

    // Spanish: the switch redraws the view in Spanish
    await page.locator('#language').selectOption('es');
    await page.locator('h1', { hasText: 'Agenda del' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
    await audit.check(page, 'day-es-1280');
    await page.locator('#language').selectOption('en');

    // a practitioner: their own column and calendar only
    await page.locator('button', { hasText: /^Log out$/ }).click();
    await page.locator('form.login').waitFor();
    await signIn(page, server.url, LEE);
    await page.locator('.booking').first().waitFor();
    assert.deepEqual(await page.locator('.col-head').allTextContents(), ['Dr. Ana Lee']);
    assert.doesNotMatch(await page.locator('nav').textContent(), /New booking|Search|Settings/);
    await page.locator('.booking', { hasText: 'Ada Access' }).click();
    await page.locator('dialog[open] .details').waitFor();
    assert.equal(
      await page.locator('dialog[open] button', { hasText: 'Reschedule' }).count(),
      0,
      'reads, changes nothing',
    );
    await audit.check(page, 'practitioner-panel-1280');
    await page.keyboard.press('Escape');
    await page.locator('nav a', { hasText: 'Calendars' }).click();
    await page.locator('.cards .card').first().waitFor();
    assert.deepEqual(await page.locator('.cards h2').allTextContents(), ['Dr. Ana Lee']);

    assert.deepEqual(await cspViolations(page), []);
    // Chromium logs each failed response: the wrong password (401), the new booking's
    // field errors (400) and the calendar connection the server cannot make (400), per width
    const failed = browser.problems.map((p) => /status of (\d+)/.exec(p)?.[1] || p);
    assert.deepEqual(failed, ['401', '400', '400', '400', '400']);
    audit.assertClean();
  }),
);
