// The consent to text messages under the phone field: unticked unless the patient ticks it
// (with the keyboard here), the POST says so either way (sms_opt_in), ticked it asks for a
// phone before anything is sent, the server's 422 for a number it cannot text lands on the
// phone field, and the Spanish widget words it in Spanish and keeps the tick.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillPatient, focusedInWidget, openDemoSite, screenshot, withCleanup } from './support.mjs';

const EN_LABEL = 'Text me a confirmation and a reminder';
const ES_LABEL = 'Envíenme la confirmación y un recordatorio por SMS';

test('SMS consent: unticked by default, sent as sms_opt_in, needs a phone when ticked', { timeout: 180000 }, () =>
  withCleanup(async (defer) => {
    const { server, browser, page, w } = await openDemoSite(defer);
    const sent = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url() === `${server.url}/api/v1/bookings`)
        sent.push(request.postDataJSON());
    });
    const consent = (name = EN_LABEL) => w.root.getByRole('checkbox', { name });
    const phoneError = w.root.locator('[name="phone"] + .field-error');
    const toDetails = async () => {
      await w.times.first().click();
      await w.continueButton.click();
      await w.field('name').waitFor();
    };

    // (1) unticked by default, labelled, described by the rates hint; booking sends false
    await toDetails();
    assert.equal(await consent().count(), 1, 'a checkbox named by its <label>');
    assert.equal(await consent().isChecked(), false, 'unticked by default');
    assert.match(
      await consent().evaluate(
        (box) => box.getRootNode().getElementById(box.getAttribute('aria-describedby')).textContent,
      ),
      /message rates/,
    );
    await fillPatient(w);
    await screenshot(page, 'sms-1-unticked');
    await w.confirmButton.click();
    await w.done.waitFor();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].patient.sms_opt_in, false, 'not ticked: sms_opt_in false');

    // (2) ticked with the keyboard (it is the next stop after the phone), focus visible;
    // without a phone nothing is sent and the phone says why
    await w.root.locator('button.link', { hasText: 'Book another appointment' }).click();
    await toDetails();
    assert.equal(await consent().isChecked(), false, 'still unticked for the next booking');
    await w.field('phone').fill('');
    await w.field('phone').focus();
    await page.keyboard.press('Tab');
    const focused = await focusedInWidget(page);
    assert.equal(focused.type, 'checkbox', 'Tab from the phone reaches the checkbox');
    assert.ok(
      await consent().evaluate((box) => box.matches(':focus-visible') && getComputedStyle(box).outlineStyle !== 'none'),
      'the focused checkbox shows its focus',
    );
    await page.keyboard.press('Space');
    assert.equal(await consent().isChecked(), true, 'Space ticks it');
    await w.confirmButton.click();
    assert.equal(await phoneError.textContent(), 'Enter a phone number to get text messages.');
    assert.equal(await w.field('phone').getAttribute('aria-invalid'), 'true');
    assert.equal((await focusedInWidget(page)).name, 'phone', 'the phone takes focus');
    await screenshot(page, 'sms-2-ticked-no-phone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sent.length, 1, 'nothing sent without a phone');
    // the message follows the box: the phone is then asked for as any required field
    await consent().uncheck();
    assert.equal(await phoneError.textContent(), 'Please enter your phone.');
    await consent().check();
    assert.equal(await phoneError.textContent(), 'Enter a phone number to get text messages.');

    // (3) a number the server cannot text (no valid US number): its 422 shows at the phone
    await w.field('phone').fill('+1 555 0100');
    assert.equal(await phoneError.textContent(), '', 'the phone looks fine to the widget');
    await w.confirmButton.click();
    await page.waitForFunction(
      () =>
        document.querySelector('clinic-booking').shadowRoot.querySelector('[name="phone"] + .field-error').textContent,
    );
    assert.equal(sent.length, 2);
    assert.equal(sent[1].patient.sms_opt_in, true);
    assert.match(await phoneError.textContent(), /phone number/i);
    assert.equal(await w.field('phone').getAttribute('aria-invalid'), 'true');
    assert.equal((await focusedInWidget(page)).name, 'phone', 'the server-refused phone takes focus');
    assert.equal(await w.done.count(), 0, 'not booked');

    // (4) Spanish: the same step drawn again keeps what the patient typed and ticked
    await page.evaluate(() => document.querySelector('clinic-booking').setAttribute('lang', 'es'));
    await consent(ES_LABEL).waitFor();
    assert.equal(await consent(ES_LABEL).isChecked(), true, 'the tick survives the redraw');
    await w.field('phone').fill('');
    await w.confirmButton.click();
    assert.equal(await phoneError.textContent(), 'Indique un teléfono para recibir los SMS.');
    await screenshot(page, 'sms-3-es-ticked-no-phone');
    await page.evaluate(() => document.querySelector('clinic-booking').setAttribute('lang', 'en'));
    await consent().waitFor();

    // (5) ticked with a number that can be texted: booked, and the POST says true
    await w.field('phone').fill('+1 415 555 2671');
    await w.confirmButton.click();
    await w.done.waitFor();
    assert.equal(sent.length, 3);
    assert.equal(sent[2].patient.sms_opt_in, true, 'ticked: sms_opt_in true');
    assert.equal(sent[2].patient.phone, '+1 415 555 2671');
    assert.equal(sent.filter((body) => body.patient.sms_opt_in).length, 2);
    // Chromium logs the 422 response itself; nothing else may reach the console
    assert.deepEqual(
      browser.problems.filter((p) => !/status of 422/.test(p)),
      [],
    );
  }),
);
