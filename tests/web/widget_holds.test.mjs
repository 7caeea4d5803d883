// Holds (issue 14): the time a patient chose is held while they give their details. Two
// browsers: the first holds a time and the second does not see it; Back lets it go; the
// first's countdown is quiet (whole minutes, never announced), typing near its end renews
// it (twice at most), then it runs out, calmly, keeping what was typed, and the second takes
// the time. The first is told so, takes the nearest time and books it while it is held,
// without a conflict; a widget taken off the page lets its hold go. The server's clock
// (libfaketime, moved through its file) and both browsers' (Playwright's) move together.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import { clinicFile, fillPatient, launchBrowser, screenshot, startServer, widget, withCleanup } from './support.mjs';

const DAY = '2027-01-12'; // a Tuesday: only Dr. Ana Lee sees consultations
const NINE = '2027-01-12T14:00:00Z'; // 09:00 in New York
const MINUTE = 60000;

const isHold =
  (method, tail = '') =>
  (r) =>
    (r.request ? r.request() : r).method() === method && new URL(r.url()).pathname.match(`^/api/v1/holds${tail}$`);

async function chooseTime(page, w, date, start) {
  await w.times.first().waitFor();
  await w.root.locator(`td.day[data-date="${date}"]`).click();
  await w.root.locator('.times-panel .time', { has: page.locator(`input[value="${start}"]`) }).click();
}

test('holds: taken on Continue, quiet, renewed while typing, released, run out', { timeout: 120000 }, (t) =>
  withCleanup(async (defer) => {
    const clinic = clinicFile(defer, (config) => (config.rules.hold_minutes = 5));
    const server = await startServer({ clinic, movableClock: true });
    defer(server.stop);
    const first = await launchBrowser();
    defer(first.close);
    const second = await launchBrowser();
    defer(second.close);
    const audit = auditor(t, { prefix: 'holds-' });
    const advance = async (ms) => {
      server.moveClock(ms);
      for (const browser of [first, second]) await browser.page.clock.fastForward(ms);
    };
    const renewals = [];
    first.page.on('request', (r) => isHold('POST', '/[^/]+/renew')(r) && renewals.push(r.url()));

    // (1) the first patient takes 09:00 with "any": the hold says who, the countdown is quiet
    const a = widget(first.page);
    const note = a.root.locator('[part~="hold"]');
    await first.page.goto(`${server.url}/`);
    await chooseTime(first.page, a, DAY, NINE);
    let answer = first.page.waitForResponse(isHold('POST'));
    await a.continueButton.click();
    assert.equal((await answer).status(), 201);
    const hold = (await (await answer).json()).hold;
    assert.equal(hold.practitioner_id, 'dr-lee');
    assert.equal(hold.start, NINE);
    await note.filter({ hasText: 'We hold this time for you for 5 minutes.' }).waitFor();
    assert.match(await a.root.locator('.summary').textContent(), /Dr\. Ana Lee/, 'the hold for "any" names who');
    assert.equal(
      await note.evaluate((el) => Boolean(el.closest('[aria-live], [role="status"], [role="alert"]'))),
      false,
      'the countdown is not in a live region',
    );
    await audit.check(first.page, '1-details-countdown');

    // (2) the second patient does not see the held time
    const b = widget(second.page);
    await second.page.goto(`${server.url}/`);
    await b.times.first().waitFor();
    await b.root.locator(`td.day[data-date="${DAY}"]`).click();
    await b.times.first().waitFor();
    assert.equal(await b.root.locator(`input[value="${NINE}"]`).count(), 0, 'a held time is not offered');
    await screenshot(second.page, 'holds-2-second-browser');

    // (3) Back lets it go and the time stays chosen, also when the snapshot was fetched while
    // it was held (Confirm fetches one: here the server then refuses a field)
    const bookings = `${server.url}/api/v1/bookings`;
    await first.page.route(bookings, (route) =>
      route.fulfill({
        status: 422,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'validation_failed', fields: { 'patient.name': 'too short' } } }),
      }),
    );
    await fillPatient(a, { name: 'A. First', email: 'a@example.com' });
    await a.confirmButton.click();
    await a.root.locator('.field-error', { hasText: 'too short' }).waitFor();
    await first.page.unroute(bookings);
    answer = first.page.waitForResponse(isHold('DELETE', `/${hold.id}`));
    await a.root.locator('[part~="back"]').click();
    assert.equal((await answer).status(), 204);
    await a.root.locator(`.times-panel input[value="${NINE}"]:checked`).waitFor();
    answer = first.page.waitForResponse(isHold('POST'));
    await a.continueButton.click();
    assert.equal((await answer).status(), 201);
    await note.filter({ hasText: '5 minutes' }).waitFor();

    // (4) the countdown moves in whole minutes, never announced
    await advance(2 * MINUTE);
    await note.filter({ hasText: 'for 3 minutes' }).waitFor();
    const spoken = () => a.root.locator('.sr-only').allTextContents();
    assert.ok(!(await spoken()).join(' ').includes('hold'), 'nothing about the hold is announced');

    // (5) near its end it is renewed only when the patient types; the server allows two
    await advance(2 * MINUTE + 10000);
    await note.filter({ hasText: '1 more minute' }).waitFor();
    assert.equal(renewals.length, 0, 'no typing, no renewal');
    for (const [field, value, left] of [
      ['name', 'Alex First', 1],
      ['email', 'alex@example.com', 0],
    ]) {
      answer = first.page.waitForResponse(isHold('POST', '/[^/]+/renew'));
      await a.field(field).fill(value);
      assert.equal((await answer).status(), 200);
      assert.equal((await (await answer).json()).hold.renewals_left, left);
      await note.filter({ hasText: 'for 5 minutes' }).waitFor();
      if (left) {
        await advance(4 * MINUTE + 10000);
        await note.filter({ hasText: '1 more minute' }).waitFor();
      }
    }
    await advance(4 * MINUTE + 10000);
    await note.filter({ hasText: '1 more minute' }).waitFor();
    await a.field('phone').fill('+1 555 0100');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(renewals.length, 2, 'no third renewal');

    // (6) it runs out: said calmly (polite), and what was typed stays
    await advance(MINUTE);
    const ranOut = a.root.locator('[part~="hold"].notice', { hasText: 'We could not hold this time any longer.' });
    await ranOut.waitFor();
    assert.match(await ranOut.textContent(), /if someone else has taken it, we'll show you the nearest times/);
    await first.page.waitForFunction(() =>
      document
        .querySelector('clinic-booking')
        .shadowRoot.querySelector('[aria-live="polite"]')
        .textContent.includes('could not hold this time'),
    );
    assert.equal(await a.field('email').inputValue(), 'alex@example.com');
    await audit.check(first.page, '3-ran-out');

    // (7) the second patient now sees the time, holds it and books it
    await second.page.reload();
    await chooseTime(second.page, b, DAY, NINE);
    answer = second.page.waitForResponse(isHold('POST'));
    await b.continueButton.click();
    assert.equal((await answer).status(), 201);
    await fillPatient(b, { name: 'Bo Second', email: 'bo@example.com' });
    await b.confirmButton.click();
    await b.done.waitFor();

    // (8) the first is told, takes the nearest time (held again) and books it without a conflict
    await a.confirmButton.click();
    await a.alternatives.first().waitFor();
    assert.match(await a.notice.textContent(), /that time was just taken/);
    await audit.check(first.page, '4-taken-after-running-out');
    answer = first.page.waitForResponse(isHold('POST'));
    await a.alternatives.first().click();
    assert.equal((await answer).status(), 201);
    const again = (await (await answer).json()).hold;
    await note.filter({ hasText: 'for 5 minutes' }).waitFor();
    const posted = first.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/bookings'));
    await a.confirmButton.click();
    const body = (await posted).postDataJSON();
    assert.equal(body.hold_id, again.id);
    assert.equal(body.hold_token, again.token);
    assert.equal(body.practitioner_id, again.practitioner_id, 'the hold fixes the practitioner');
    await a.done.waitFor();
    assert.match(await a.done.textContent(), /You are booked/);
    await screenshot(first.page, 'holds-5-booked-while-held');

    // (9) a widget taken off the page lets its hold go
    await a.root.locator('.done button.link').click();
    await a.times.first().click();
    answer = first.page.waitForResponse(isHold('POST'));
    await a.continueButton.click();
    const last = (await (await answer).json()).hold;
    const deleted = first.page.waitForRequest(isHold('DELETE', `/${last.id}`));
    await first.page.evaluate(() => document.querySelector('clinic-booking').remove());
    assert.equal((await deleted).url().includes(`token=${encodeURIComponent(last.token)}`), true);

    assert.deepEqual(
      [...first.problems, ...second.problems].filter((p) => !/status of 422/.test(p)),
      [],
    );
    audit.assertClean();
  }),
);

test('holds: off (hold_minutes 0), or not to be had (network): the booking goes on', { timeout: 60000 }, () =>
  withCleanup(async (defer) => {
    const browser = await launchBrowser();
    defer(browser.close);
    const { page } = browser;
    const w = widget(page);
    const holds = [];
    page.on('request', (r) => r.url().includes('/api/v1/holds') && holds.push(r.method()));
    const book = async (server) => {
      await page.goto(`${server.url}/`);
      await w.times.first().click();
      await w.continueButton.click();
      await fillPatient(w);
      const posted = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/bookings'));
      await w.confirmButton.click();
      await w.done.waitFor();
      return (await posted).postDataJSON();
    };

    const off = await startServer({ clinic: clinicFile(defer, (config) => (config.rules.hold_minutes = 0)) });
    defer(off.stop);
    assert.equal((await book(off)).hold_id, undefined);
    assert.deepEqual(holds, [], 'a clinic without holds is asked for none');

    // the demo clinic holds for 5 minutes (no hold_minutes), but the hold cannot be had
    const on = await startServer();
    defer(on.stop);
    await page.route(`${on.url}/api/v1/holds`, (route) => route.abort('internetdisconnected'));
    const body = await book(on);
    assert.deepEqual(holds, ['POST'], 'asked once');
    assert.equal(body.hold_id, undefined, 'booked without a hold');
    assert.deepEqual(
      browser.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)),
      [],
    );
  }),
);
