// Deep links (issue 15, SMART Scheduling Links): an aggregator sends the patient to the
// clinic's booking page with `slot=<handle>` (docs/widget.md, "Deep links") and its own
// `source` and `booking-referral`. The widget on that page (here on another origin) opens on
// the slot: still free, it is chosen and the details step follows with the time held; the
// booking carries the referral, which staff see on the appointment. A slot taken meanwhile
// shows its day, a polite note and the nearest free times; a malformed handle, one of another
// clinic and one of an unknown type are ignored, while the referral still goes with the
// booking. axe-core checks the deep-linked states.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import {
  TEST_API_KEY,
  bookThroughApi,
  clinicFile,
  fillPatient,
  launchBrowser,
  screenshot,
  startHostServer,
  startServer,
  widget,
  withCleanup,
} from './support.mjs';

const DAY = '2027-01-12'; // a Tuesday: only Dr. Ana Lee sees consultations
const TEN = '2027-01-12T15:00:00Z'; // 10:00 in New York
const FIRST_DAY = '2027-01-11'; // the first free day, which a plain start opens
const REFERRAL = '34d1a803-cd6c-4420-9cf5-c5edcc533538';

/** The handle as the server writes it: base64url, no padding, of the JSON array. */
const handle = (fields) => Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');

const hostPage = (serverUrl, lang = 'en') => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riverside Family Clinic: book</title></head>
<body><main><h1>Book online</h1>
<script src="${serverUrl}/widget/booking-widget.js" data-clinic="demo" async></script>
</main></body></html>`;

/** A POST to /api/v1/`tail`, as a request or its response. */
const isPost = (tail) => (r) =>
  (r.request ? r.request() : r).method() === 'POST' && new URL(r.url()).pathname === `/api/v1/${tail}`;

/** Waits until the widget's polite live region says `text`. */
const spoken = (page, text) =>
  page.waitForFunction(
    (words) =>
      document
        .querySelector('clinic-booking')
        .shadowRoot.querySelector('[aria-live="polite"]')
        .textContent.includes(words),
    text,
  );

/** `publishing`: the demo clinic publishes SMART Scheduling Links, its booking_url this host's /book. */
async function setUp(defer, { publishing = false } = {}) {
  const pages = {};
  const host = await startHostServer(pages);
  defer(host.stop);
  const clinic = publishing
    ? clinicFile(defer, (config) => {
        Object.assign(config.clinic, {
          phone: '+1 617 555 0100',
          address: { line: ['1 Main St'], city: 'Boston', state: 'MA', postal_code: '02108' },
          booking_url: `${host.url}/book`,
        });
        config.publish = { smart_scheduling_links: true };
      })
    : undefined;
  const server = await startServer({ allowOrigins: [host.url], ...(clinic ? { clinic } : {}) });
  defer(server.stop);
  pages['/book'] = { html: hostPage(server.url) };
  pages['/es/book'] = { html: hostPage(server.url, 'es') };
  const browser = await launchBrowser();
  defer(browser.close);
  return { host, server, browser, page: browser.page, w: widget(browser.page) };
}

/** Books from the details step; the request's body and the booking. */
async function confirm(page, w, patient) {
  await fillPatient(w, patient);
  const posted = page.waitForResponse(isPost('bookings'));
  await w.confirmButton.click();
  const response = await posted;
  assert.equal(response.status(), 201, await response.text());
  await w.done.waitFor();
  return { body: response.request().postDataJSON(), booking: (await response.json()).booking };
}

/** The widget started as without a deep link: the first free day's times, nothing chosen. */
async function assertPlainStart(page, w, what) {
  await w.times.first().waitFor();
  assert.equal(await w.selectedDay.getAttribute('data-date'), FIRST_DAY, `${what}: the first free day`);
  assert.equal(await w.typeSelect.inputValue(), 'consultation', what);
  assert.equal(await w.practitionerSelect.inputValue(), 'any', what);
  assert.equal(await w.root.locator('.times-panel input:checked').count(), 0, `${what}: no time chosen`);
  assert.equal(await w.continueButton.isDisabled(), true, what);
  assert.equal(await w.notice.count(), 0, `${what}: no note`);
}

test('a deep link to a free slot opens on it, and the booking keeps the referral', { timeout: 90000 }, (t) =>
  withCleanup(async (defer) => {
    const { host, server, browser, page, w } = await setUp(defer);
    const audit = auditor(t, { prefix: 'deep-link-' });
    const selected = [];
    await page.exposeFunction('slotSelected', (detail) => selected.push(detail));
    await page.addInitScript(() =>
      document.addEventListener('booking:slot-selected', (e) => window.slotSelected(e.detail)),
    );
    const held = page.waitForResponse(isPost('holds'));
    const slot = handle(['demo', 'consultation', 'dr-lee', TEN]);
    await page.goto(`${host.url}/book?slot=${slot}&source=findadoc&booking-referral=${REFERRAL}`);

    // the details step for that time, held for the patient as after Continue
    const hold = (await (await held).json()).hold;
    assert.equal(hold.start, TEN);
    assert.equal(hold.practitioner_id, 'dr-lee');
    await w.field('name').waitFor();
    const summary = await w.root.locator('.summary').textContent();
    assert.match(summary, /Tuesday, January 12, 2027/);
    assert.match(summary, /10:00\sAM/);
    assert.match(summary, /Consultation · 30 min · Dr\. Ana Lee/);
    await w.root.locator('[part~="hold"]', { hasText: 'We hold this time for you for 5 minutes.' }).waitFor();
    assert.deepEqual(
      selected.map((d) => [d.start, d.appointmentType, d.practitionerId]),
      [[TEN, 'consultation', 'dr-lee']],
      'booking:slot-selected as for a click',
    );
    await audit.check(page, '1-details');

    // Back: that day and time, chosen, on the calendar
    await w.root.locator('[part~="back"]').click();
    await w.root.locator(`.times-panel input[value="${TEN}"]:checked`).waitFor();
    assert.equal(await w.selectedDay.getAttribute('data-date'), DAY);
    assert.equal(await w.practitionerSelect.inputValue(), 'dr-lee');
    await w.continueButton.click();
    await w.field('name').waitFor();

    // the booking carries the referral; staff see it on the appointment
    const { body, booking } = await confirm(page, w, { name: 'Dee Link', email: 'dee@example.com' });
    assert.equal(body.start, TEN);
    assert.deepEqual(body.referral, { source: 'findadoc', booking_referral: REFERRAL });
    await screenshot(page, 'deep-link-2-booked');
    const staff = await fetch(`${server.url}/api/calendar/appointments/${encodeURIComponent(booking.id)}`, {
      headers: { 'X-API-Key': TEST_API_KEY },
    });
    assert.equal(staff.status, 200);
    assert.deepEqual(
      (await staff.json()).appointment.referral,
      { source: 'findadoc', booking_referral: REFERRAL },
      'the server keeps the referral (the server side of issue 15)',
    );

    assert.deepEqual(browser.problems, []);
    audit.assertClean();
  }),
);

test('the published Slot file deep link, followed, opens the widget on that slot', { timeout: 90000 }, () =>
  withCleanup(async (defer) => {
    const { host, server, browser, page, w } = await setUp(defer, { publishing: true });
    // What an aggregator reads: the consultation Schedule's free Slot at 10:00 on the 12th.
    const read = async (file) =>
      (await (await fetch(`${server.url}/fhir/clinics/demo/${file}.ndjson`)).text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const schedule = (await read('schedules')).find(
      (s) => s.serviceType[0].coding[0].display === 'Consultation' && s.actor.length === 1,
    );
    const slot = (await read('slots')).find(
      (s) => s.schedule.reference === `Schedule/${schedule.id}` && s.start === '2027-01-12T10:00:00-05:00',
    );
    assert.equal(slot.status, 'free');
    const link = new URL(slot.extension[0].valueUrl);
    assert.equal(`${link.origin}${link.pathname}`, `${host.url}/book`, 'the clinic page with the widget');
    // the aggregator adds who it is and its referral, as the specification describes
    link.searchParams.set('source', 'findadoc');
    link.searchParams.set('booking-referral', REFERRAL);
    const held = page.waitForResponse(isPost('holds'));
    await page.goto(link.href);
    const hold = (await (await held).json()).hold;
    assert.equal(hold.start, TEN, 'held: the linked time');
    await w.field('name').waitFor();
    assert.match(await w.root.locator('.summary').textContent(), /Tuesday, January 12, 2027.*10:00\sAM/s);
    const { body, booking } = await confirm(page, w, { name: 'Agg Regated', email: 'agg@example.com' });
    assert.equal(body.start, TEN);
    const staff = await fetch(`${server.url}/api/calendar/appointments/${encodeURIComponent(booking.id)}`, {
      headers: { 'X-API-Key': TEST_API_KEY },
    });
    assert.deepEqual((await staff.json()).appointment.referral, { source: 'findadoc', booking_referral: REFERRAL });
    await screenshot(page, 'deep-link-published-booked');
    // and the next publication has that Slot busy
    const after = (await read('slots')).find((s) => s.id === slot.id);
    assert.equal(after.status, 'busy');
    assert.deepEqual(browser.problems, []);
  }),
);

test('a deep link to a taken slot shows its day, a note and the nearest times', { timeout: 90000 }, (t) =>
  withCleanup(async (defer) => {
    const { host, server, browser, page, w } = await setUp(defer);
    const audit = auditor(t, { prefix: 'deep-link-taken-' });
    await bookThroughApi(server.url, {
      practitioner_id: 'dr-lee',
      start: TEN,
      patient: { name: 'First Come', email: 'first@example.com' },
    });
    const holds = [];
    page.on('request', (r) => isPost('holds')(r) && holds.push(r.url()));

    const slot = handle(['demo', 'consultation', 'dr-lee', TEN]);
    await page.goto(`${host.url}/book?slot=${slot}&source=findadoc`);
    const note = w.root.locator('.notice', {
      hasText: 'That time is no longer available. Here are the nearest times.',
    });
    await note.waitFor();
    assert.equal(await w.selectedDay.getAttribute('data-date'), DAY, 'that day is shown');
    assert.match(await w.root.locator('.times-title').textContent(), /Tuesday, January 12, 2027/);
    assert.equal(await w.practitionerSelect.inputValue(), 'dr-lee');
    assert.equal(await w.root.locator(`input[value="${TEN}"]`).count(), 0, 'the taken time is not offered');
    const offered = await w.alternatives.locator('input').evaluateAll((inputs) => inputs.map((i) => i.value));
    assert.ok(offered.length > 0, 'the nearest times are offered');
    assert.deepEqual([...offered].sort(), offered, 'in time order');
    for (const start of offered) assert.ok(Math.abs(Date.parse(start) - Date.parse(TEN)) <= 2 * 3600000, start);
    assert.equal(
      await note.locator('[role="radiogroup"]').getAttribute('aria-labelledby'),
      await note.locator('p').getAttribute('id'),
    );
    assert.equal(await w.continueButton.isDisabled(), true, 'nothing chosen yet');
    await spoken(page, 'That time is no longer available. Here are the nearest times.');
    assert.deepEqual(holds, [], 'no hold for a time that is gone');
    await audit.check(page, '1-note');

    // one of the nearest times: chosen on the calendar too, then on as usual
    await w.alternatives.first().click();
    await w.root.locator(`.times-panel input[value="${offered[0]}"]:checked`).waitFor();
    assert.equal(await w.continueButton.isDisabled(), false);
    await w.continueButton.click();
    await w.field('name').waitFor();
    const { body } = await confirm(page, w, { name: 'Second Try', email: 'second@example.com' });
    assert.equal(body.start, offered[0]);
    assert.deepEqual(body.referral, { source: 'findadoc' }, 'only the keys given');

    // another type or practitioner: the note (about that time) goes
    await page.goto(`${host.url}/book?slot=${slot}`);
    await note.waitFor();
    await w.practitionerSelect.selectOption('any');
    await note.waitFor({ state: 'detached' });

    // the note stays, in the new language, when the page changes the widget's language
    await page.goto(`${host.url}/book?slot=${slot}`);
    await note.waitFor();
    await page.evaluate(() => document.querySelector('clinic-booking').setAttribute('lang', 'es'));
    await w.root
      .locator('.notice', { hasText: 'Ese horario ya no está disponible. Estos son los horarios más cercanos.' })
      .waitFor();
    assert.equal(await w.selectedDay.getAttribute('data-date'), DAY, 'still that day');
    assert.ok((await w.alternatives.count()) > 0, 'the nearest times again');

    // in Spanish
    await page.goto(`${host.url}/es/book?slot=${slot}`);
    await w.root
      .locator('.notice', { hasText: 'Ese horario ya no está disponible. Estos son los horarios más cercanos.' })
      .waitFor();
    await spoken(page, 'Ese horario ya no está disponible. Estos son los horarios más cercanos.');
    await audit.check(page, '2-note-es');

    assert.deepEqual(browser.problems, []);
    audit.assertClean();
  }),
);

test('malformed handles and other clinics are ignored; the referral still goes', { timeout: 90000 }, () =>
  withCleanup(async (defer) => {
    const { host, browser, page, w } = await setUp(defer);
    const holds = [];
    page.on('request', (r) => isPost('holds')(r) && holds.push(r.url()));
    const ignored = {
      'not base64url': 'not*a*handle',
      'not JSON': Buffer.from('demo,consultation,dr-lee').toString('base64url'),
      'padded base64': `${Buffer.from(JSON.stringify(['demo', 'consultation', 'dr-lee', TEN])).toString('base64')}`,
      'three fields': handle(['demo', 'consultation', TEN]),
      'a number in it': handle(['demo', 'consultation', 7, TEN]),
      'not UTC': handle(['demo', 'consultation', 'dr-lee', '2027-01-12T10:00:00-05:00']),
      'no such day': handle(['demo', 'consultation', 'dr-lee', '2027-02-30T15:00:00Z']),
      'another clinic': handle(['other', 'consultation', 'dr-lee', TEN]),
      'an unknown type': handle(['demo', 'massage', 'any', TEN]),
      'a practitioner without that type': handle(['demo', 'therapy', 'dr-lee', TEN]),
    };
    for (const [what, slot] of Object.entries(ignored)) {
      await page.goto(`${host.url}/book?slot=${encodeURIComponent(slot)}`);
      await assertPlainStart(page, w, what);
    }
    assert.deepEqual(holds, [], 'nothing held');

    // no handle, a referral: control characters dropped, trimmed, at most 200 characters
    const long = 'r'.repeat(250);
    await page.goto(`${host.url}/book?source=%20partner%01site%0A%20&booking-referral=${long}&slot=`);
    await assertPlainStart(page, w, 'a referral only');
    await w.times.first().click();
    await w.continueButton.click();
    let { body } = await confirm(page, w, { name: 'Ref Only', email: 'ref@example.com' });
    assert.deepEqual(body.referral, { source: 'partnersite', booking_referral: 'r'.repeat(200) });

    // a page without a deep link sends no referral
    await page.goto(`${host.url}/book`);
    await assertPlainStart(page, w, 'no deep link');
    await w.times.first().click();
    await w.continueButton.click();
    ({ body } = await confirm(page, w, { name: 'No Link', email: 'nolink@example.com' }));
    assert.equal('referral' in body, false);

    assert.deepEqual(browser.problems, []);
  }),
);
