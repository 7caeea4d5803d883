// Automated WCAG 2.1 A/AA check with axe-core (web/node_modules/axe-core) on every state of
// the booking widget and the manage page, against the real server: the step drawn while the
// engine loads (an empty calendar, the times loading), the calendar and times,
// a time chosen, the patient form, its validation errors (also with the SMS consent
// ticked), the confirmation, the manage page (booking, reschedule picker, cancel question),
// a Spanish host page (with the "time just taken" notice) and a 320 px phone screen.
// axe-core 4.x looks inside open shadow roots by itself, so the whole document is checked,
// widget included. Every violation is listed with its id, impact, help text and the nodes
// it was found on; the test wants none.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import { fillPatient, launchBrowser, startHostServer, startServer, widget, withCleanup } from './support.mjs';

/**
 * Walks the widget through its states, checking each. Returns the chosen time and type,
 * and (with `confirm`) the manage link from the confirmation.
 */
// `beforeContinue(chosen)`: runs once the time is chosen (another patient takes it there).
async function walkWidget(page, audit, prefix, { confirm = true, beforeContinue } = {}) {
  const w = widget(page);
  await w.times.first().waitFor();
  await audit.check(page, `${prefix}1-calendar`);

  const chosen = { start: await w.times.first().locator('input').inputValue(), type: await w.typeSelect.inputValue() };
  await w.times.first().click();
  await w.continueButton.waitFor();
  assert.equal(await w.continueButton.isEnabled(), true, 'a chosen time enables Continue');
  await audit.check(page, `${prefix}2-time-chosen`);

  if (beforeContinue) await beforeContinue(chosen);
  await w.continueButton.click();
  await w.field('name').waitFor();
  // the time held for the patient (a quiet countdown), or refused with the nearest times
  await w.root
    .locator(beforeContinue ? '.notice .time' : '[part~="hold"]:not(:empty)')
    .first()
    .waitFor();
  await audit.check(page, `${prefix}3-details`);

  await w.confirmButton.click();
  await w.root.locator('.field-error:not(:empty)').first().waitFor();
  assert.equal(await w.field('name').getAttribute('aria-invalid'), 'true');
  await audit.check(page, `${prefix}4-errors`);

  // the consent to texts ticked: the phone's error is reworded for it
  await w.field('sms_opt_in').check();
  await w.field('sms_opt_in').focus();
  await audit.check(page, `${prefix}4b-sms-ticked`);
  await w.field('sms_opt_in').uncheck();

  await fillPatient(w, { name: 'Alex Axe', email: `axe-${prefix}@example.com` });
  if (!confirm) return { ...chosen, w };
  await w.confirmButton.click();
  await w.done.waitFor();
  await audit.check(page, `${prefix}5-confirmation`);
  return { ...chosen, w, manageHref: await w.root.locator('a[part~="manage"]').getAttribute('href') };
}

const hostPage = (serverUrl, lang) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clínica: reserve una cita</title></head>
<body><main><h1>Reserve en línea</h1>
<script src="${serverUrl}/widget/booking-widget.js" data-clinic="demo" async></script>
</main></body></html>`;

test('axe-core: no WCAG 2.1 A/AA violations in any state of the widget and manage page', { timeout: 200000 }, (t) =>
  withCleanup(async (defer) => {
    // what axe leaves to a person was last reviewed: the selects' arrow gradient hides their
    // plain white background, the aria-hidden check mark is 5.7:1, and the ‹ › month
    // buttons' glyphs are symbols, not words of their label
    const audit = auditor(t);
    const pages = {};
    const host = await startHostServer(pages);
    defer(host.stop);
    const server = await startServer({ allowOrigins: [host.url] });
    defer(server.stop);
    pages['/es'] = { html: hostPage(server.url, 'es') };

    // (1)-(5) the demo site, English, desktop
    const browser = await launchBrowser();
    defer(browser.close);
    const { page } = browser;
    // (0) the engine still on its way (its .wasm held until the audit is done): the step
    // drawn around an empty calendar, the choices there, the times loading
    let releaseEngine;
    const engineHeld = new Promise((resolve) => (releaseEngine = resolve));
    const wasm = '**/slot-engine*.wasm';
    await page.route(wasm, async (route) => {
      await engineHeld;
      await route.continue();
    });
    await page.goto(`${server.url}/`);
    const pending = widget(page);
    await pending.root.locator('.picker[aria-busy="true"] .times-panel .loading').waitFor();
    await pending.typeSelect.and(page.locator(':enabled')).waitFor();
    assert.equal(await pending.freeDays.count(), 0, 'no free days before the engine');
    await audit.check(page, '0-engine-loading');
    releaseEngine();
    await pending.times.first().waitFor();
    await page.unroute(wasm);
    const { manageHref } = await walkWidget(page, audit, '');
    assert.match(manageHref, /\/manage\?booking=.+&token=.+/);

    // (6) the manage page: the booking, the reschedule picker, the cancel question
    await page.goto(manageHref);
    const m = widget(page, 'clinic-booking-manage');
    await m.root.locator('dl.details').waitFor();
    await audit.check(page, '6a-manage');
    await m.root.locator('button[part~="reschedule"]').click();
    await m.times.first().waitFor();
    await m.times.nth(1).click();
    await audit.check(page, '6b-manage-reschedule');
    await m.root.locator('button.link').click();
    await m.root.locator('button[part~="cancel"]').click();
    await m.root.locator('textarea').waitFor();
    await audit.check(page, '6c-manage-cancel');
    assert.deepEqual(browser.problems, []);

    // (7) Spanish: a lang="es" host page on another origin, a clinic zone that differs
    const spanish = await launchBrowser({ timezoneId: 'Europe/Madrid', locale: 'es-ES' });
    defer(spanish.close);
    await spanish.page.goto(`${host.url}/es`);
    await widget(spanish.page).times.first().waitFor();
    assert.match(await widget(spanish.page).root.locator('.root').textContent(), /Reserve una cita/);
    // someone else takes the chosen time before Continue: holding it is refused, and the
    // notice offers the nearest times (the details and errors are checked with it)
    const takeIt = async ({ type, start }) => {
      const taken = await fetch(`${server.url}/api/v1/bookings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'a11y-conflict-0001' },
        body: JSON.stringify({
          clinic_id: 'demo',
          appointment_type: type,
          practitioner_id: 'any',
          start,
          patient: { name: 'Quick Other', email: 'other@example.com', phone: '+1 555 0199' },
        }),
      });
      assert.equal(taken.status, 201, await taken.text());
    };
    const es = await walkWidget(spanish.page, audit, '7-es-', { confirm: false, beforeContinue: takeIt });
    await audit.check(spanish.page, '7-es-5-conflict');
    await es.w.alternatives.first().click();
    await es.w.confirmButton.click();
    await es.w.done.waitFor();
    await audit.check(spanish.page, '7-es-6-confirmation');
    assert.deepEqual(
      spanish.problems.filter((p) => !/status of 409/.test(p)),
      [],
    );

    // (8) a 320 px phone screen, the whole flow
    const phone = await launchBrowser({ viewport: { width: 320, height: 720 } });
    defer(phone.close);
    await phone.page.goto(`${server.url}/`);
    await walkWidget(phone.page, audit, '8-320px-');
    assert.deepEqual(phone.problems, []);

    audit.assertClean();
  }),
);
