// Every documented attribute of <clinic-booking> works after the widget is on the page, a
// widget moved in the page starts over with what the patient typed, one removed leaves no
// load or timer running, and the snapshot older than a minute is refreshed on the next
// interaction (the browser's clock is Playwright's, so the minute passes at once).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDemoSite, screenshot, withCleanup } from './support.mjs';

test('attributes after connect, moving and removing the element, the one-minute refresh', { timeout: 180000 }, () =>
  withCleanup(async (defer) => {
    const { server, browser, page, w } = await openDemoSite(defer);
    const setAttr = (name, value) =>
      page.evaluate(([n, v]) => document.querySelector('clinic-booking').setAttribute(n, v), [name, value]);
    const heading = () => w.root.locator('h2').first().textContent();
    assert.equal(await heading(), 'Book an appointment');

    // lang: the current step is drawn again in Spanish, then back
    await setAttr('lang', 'es');
    await w.root.locator('h2', { hasText: 'Reserve una cita' }).waitFor();
    await setAttr('lang', 'en');
    await w.root.locator('h2', { hasText: 'Book an appointment' }).waitFor();

    // appointment-type and practitioner: reselected on the pick step
    await setAttr('appointment-type', 'follow-up');
    await page.waitForFunction(
      () => document.querySelector('clinic-booking').shadowRoot.querySelector('.choices select').value === 'follow-up',
    );
    await setAttr('practitioner', 'dr-patel');
    await page.waitForFunction(
      () =>
        document.querySelector('clinic-booking').shadowRoot.querySelectorAll('.choices select')[1].value === 'dr-patel',
    );
    await w.times.first().waitFor();
    // an unknown practitioner falls back to "any"
    await setAttr('practitioner', 'dr-nobody');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('clinic-booking')[0].shadowRoot.querySelectorAll('.choices select')[1].value ===
        'any',
    );

    // name/email: fill the form's fields, but never over what the patient typed
    await w.times.first().click();
    await w.continueButton.click();
    await w.field('name').waitFor();
    await setAttr('name', 'Prefilled Name');
    await page.waitForFunction(
      () =>
        document.querySelector('clinic-booking').shadowRoot.querySelector('[name="name"]').value === 'Prefilled Name',
    );
    await w.field('email').fill('typed@example.com');
    await setAttr('email', 'attribute@example.com');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await w.field('email').inputValue(), 'typed@example.com');

    // moved in the page: it starts over with a fresh snapshot and keeps what was typed
    await page.evaluate(() => {
      const el = document.querySelector('clinic-booking');
      el.parentElement.prepend(el);
    });
    await w.times.first().waitFor();
    await w.times.first().click();
    await w.continueButton.click();
    assert.equal(await w.field('email').inputValue(), 'typed@example.com');
    assert.equal(await w.field('name').inputValue(), 'Prefilled Name');

    // clinic: loads again (an unknown clinic says so plainly)
    await setAttr('clinic', 'no-such-clinic');
    await w.root.locator('.notice.error', { hasText: 'could not load' }).waitFor();
    await setAttr('clinic', 'demo');
    await w.times.first().waitFor();
    await screenshot(page, 'attributes-1-reloaded');

    // removed while its snapshot loads: nothing renders later, no error is reported
    const snapshotGets = () => (server.log().match(/GET \/api\/v1\/clinics\/demo\/snapshot/g) || []).length;
    await page.evaluate(() => {
      const el = document.querySelector('clinic-booking');
      el.setAttribute('timezone', 'Asia/Tokyo');
      el.remove();
      window.detached = el;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(
      await page.evaluate(() => window.detached.shadowRoot.querySelector('.times-panel')),
      null,
      'a removed widget does not render',
    );
    await page.evaluate(() => document.querySelector('main').append(window.detached));
    await w.times.first().waitFor();
    assert.match(await w.root.locator('.zone-note').textContent(), /Asia\/Tokyo/, 'the timezone attribute took effect');

    // a minute later, the next interaction refreshes the snapshot in the background
    const before = snapshotGets();
    await page.clock.fastForward('01:05');
    await w.freeDays.nth(1).click();
    const deadline = Date.now() + 5000;
    while (snapshotGets() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(snapshotGets() > before, 'a stale snapshot is fetched again on interaction');
    // the unknown clinic's load error (and its 404) is the only thing reported
    assert.deepEqual(
      browser.problems.filter((p) => !/no-such-clinic|404/.test(p)),
      [],
    );
  }),
);
