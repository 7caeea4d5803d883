// A patient books with the mouse on the demo clinic site (/, the one-line script install),
// sees field errors in place, survives a network failure with the form intact, gets a
// confirmation, and the booking is then in the staff API. The details step comes in a second
// script, loaded after the first paint; when it cannot be loaded, Continue says so and works
// once it can.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_API_KEY, fillPatient, openDemoSite, screenshot, withCleanup } from './support.mjs';

const recordEvents = () => {
  window.bookingEvents = [];
  for (const type of ['booking:ready', 'booking:slot-selected', 'booking:confirmed']) {
    document.addEventListener(type, (event) => window.bookingEvents.push({ type, detail: event.detail }));
  }
};

test('mouse booking on the demo site, then visible in the staff API', { timeout: 120000 }, () =>
  withCleanup(async (defer) => {
    const { server, browser, page, w } = await openDemoSite(defer, {
      beforeLoad: (p) => p.addInitScript(recordEvents),
    });
    await screenshot(page, 'mouse-1-first-times');
    assert.ok((await w.freeDays.count()) > 0, 'some days have free times');
    assert.equal(await w.selectedDay.count(), 1, 'the first free day opens by itself');

    // another day: answered by the in-page engine, no network
    const requestsBefore = [];
    page.on('request', (request) => requestsBefore.push(request.url()));
    const day = w.freeDays.nth((await w.freeDays.count()) > 1 ? 1 : 0);
    const date = await day.getAttribute('data-date');
    await day.click();
    assert.equal(await w.selectedDay.getAttribute('data-date'), date);
    await w.times.first().waitFor();
    assert.deepEqual(requestsBefore, [], 'a day click makes no request');

    const time = w.times.nth(Math.min(1, (await w.times.count()) - 1));
    const timeLabel = (await time.textContent()).trim();
    await time.click();
    await screenshot(page, 'mouse-2-time-chosen');
    await w.continueButton.click();

    await w.confirmButton.click();
    const errors = w.root.locator('.field-error:not(:empty)');
    assert.equal(await errors.count(), 3, 'name, email and phone are required');
    await w.field('email').fill('not-an-email');
    await w.field('email').blur();
    assert.match(await w.root.locator('.field-error:not(:empty)').nth(1).textContent(), /email address like/);
    await screenshot(page, 'mouse-3-field-errors');

    await fillPatient(w, { notes: 'First visit' });
    assert.equal(await w.root.locator('.field-error:not(:empty)').count(), 0, 'errors clear once fixed');
    assert.match(await w.root.locator('.summary').textContent(), new RegExp(timeLabel.replace(/\s/g, '\\s')));
    await screenshot(page, 'mouse-4-details');

    // the network fails on confirm: the patient is told, and nothing typed is lost
    const bookingsUrl = `${server.url}/api/v1/bookings`;
    await page.route(bookingsUrl, (route) => route.abort('internetdisconnected'));
    await w.confirmButton.click();
    await w.root.locator('.notice:not(:empty)').waitFor();
    assert.match(await w.notice.textContent(), /could not reach the clinic/);
    assert.equal(await w.field('name').inputValue(), 'Ana Ruiz');
    assert.equal(await w.field('notes').inputValue(), 'First visit');
    await screenshot(page, 'mouse-4b-network-error');
    await page.unroute(bookingsUrl);

    await w.confirmButton.click();
    await w.done.waitFor();
    await screenshot(page, 'mouse-5-confirmed');

    const confirmation = await w.done.textContent();
    assert.match(confirmation, /CP-\d{8}-[A-Z0-9]{4}/);
    const events = await page.evaluate(() => window.bookingEvents);
    const types = events.map((e) => e.type);
    assert.ok(types.includes('booking:ready') && types.includes('booking:slot-selected'), types.join());
    const confirmed = events.find((e) => e.type === 'booking:confirmed');
    assert.ok(confirmed && confirmed.detail.id && confirmed.detail.start, 'booking:confirmed carries id and start');
    assert.equal(confirmed.detail.start, events.filter((e) => e.type === 'booking:slot-selected').at(-1).detail.start);

    // the calendar file and the staff API both know the booking
    const icsHref = await w.root.locator('a[part~="ics"]').getAttribute('href');
    const ics = await fetch(icsHref);
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type'), /text\/calendar/);
    assert.match(await ics.text(), /BEGIN:VCALENDAR/);

    const staffUrl = `${server.url}/api/calendar/appointments/${encodeURIComponent(confirmed.detail.id)}`;
    assert.equal((await fetch(staffUrl)).status, 401, 'the staff API needs the key');
    const staff = await fetch(staffUrl, { headers: { 'X-API-Key': TEST_API_KEY } });
    const staffText = await staff.text();
    assert.equal(staff.status, 200, staffText);
    assert.match(staffText, /Ana Ruiz/);
    const list = await fetch(`${server.url}/api/calendar/appointments?days=365&limit=50`, {
      headers: { 'X-API-Key': TEST_API_KEY },
    });
    assert.match(await list.text(), new RegExp(confirmed.detail.id));

    assert.deepEqual(
      browser.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)),
      [],
    );
  }),
);

test('the details step loads after the first paint; a failed load is said and tried again', { timeout: 60000 }, () =>
  withCleanup(async (defer) => {
    const chunk = /\/widget\/booking-widget-details\.[0-9a-f]{10}\.js$/;
    let blocked = true;
    const asked = [];
    const { page, w } = await openDemoSite(defer, {
      beforeLoad: (p) =>
        p.route(chunk, (route) => {
          asked.push(route.request().url());
          return blocked ? route.abort() : route.continue();
        }),
    });
    const deadline = Date.now() + 5000;
    while (!asked.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(asked.length, 1, 'asked for once the first times show, before any click');

    await w.times.first().click();
    await w.continueButton.click();
    const error = w.root.locator('.field-error[role="alert"]');
    await error.filter({ hasText: 'could not load the next step' }).waitFor();
    assert.equal(await w.root.locator('form').count(), 0, 'still on the first step');

    blocked = false;
    await w.continueButton.click();
    await w.field('name').waitFor();
    assert.equal(
      await page.evaluate(() => document.querySelector('clinic-booking').shadowRoot.activeElement?.tagName),
      'H2',
    );
  }),
);
