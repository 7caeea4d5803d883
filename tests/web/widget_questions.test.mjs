// The clinic's questions (issue 14): those for the chosen appointment type follow the
// patient's fields, labelled in the widget's language, wired like them (aria-required,
// aria-invalid, the message in aria-describedby, focus to the first wrong field). Required
// ones block Confirm with the right words in English and Spanish, with no request sent; a
// date of birth cannot lie in the future; a 422 on an answer is shown at its field. The
// answers reach the server (the staff API) and show in the confirmation and on the manage
// page. Per-language names of types and practitioners show too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor } from './axe.mjs';
import {
  TEST_API_KEY,
  fillPatient,
  launchBrowser,
  questionsClinic,
  startServer,
  widget,
  withCleanup,
} from './support.mjs';

/** The message tied to a field by aria-describedby, and its aria-invalid. */
const described = (field) =>
  field.evaluate((input) => ({
    invalid: input.getAttribute('aria-invalid'),
    required: input.getAttribute('aria-required'),
    message: input.getRootNode().getElementById(input.getAttribute('aria-describedby')).textContent,
  }));

test(
  'questions: asked per type, required ones block Confirm (en, es), answers reach the server',
  { timeout: 90000 },
  (t) =>
    withCleanup(async (defer) => {
      const server = await startServer({ clinic: questionsClinic(defer) });
      defer(server.stop);
      const audit = auditor(t, { prefix: 'questions-' });
      const browser = await launchBrowser();
      defer(browser.close);
      const { page } = browser;
      const bookings = [];
      page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/bookings') && bookings.push(r));
      const w = widget(page);
      const q = (id) => w.field(`answers.${id}`);
      await page.goto(`${server.url}/`);
      await w.times.first().click();
      await w.continueButton.click();

      // the consultation's questions, after the patient's own fields; the therapy one is not asked
      const labels = await w.root.locator('form label').allTextContents();
      assert.deepEqual(labels.slice(4, 9), [
        'Date of birth',
        'Reason for the visit',
        'Insurance company (optional)',
        'Anything else we should know? (optional)',
        "I agree to the clinic's privacy notice",
      ]);
      assert.equal(await q('goal').count(), 0);
      assert.equal((await described(q('dob'))).required, 'true');
      assert.equal((await described(q('insurer'))).required, null);
      assert.equal(await q('dob').getAttribute('max'), '2027-01-11', 'no day after today');

      // Confirm with nothing answered: each says what it needs, nothing is sent
      await fillPatient(w);
      await w.confirmButton.click();
      for (const [id, message] of [
        ['dob', 'Please answer this question.'],
        ['reason', 'Please choose an answer.'],
        ['consent', 'Please tick this box to go on.'],
      ])
        assert.deepEqual(await described(q(id)), { invalid: 'true', required: 'true', message }, id);
      assert.equal((await described(q('insurer'))).invalid, null, 'an optional one may stay empty');
      assert.equal(
        await page.evaluate(() => document.querySelector('clinic-booking').shadowRoot.activeElement.name),
        'answers.dob',
      );
      assert.equal(bookings.length, 0, 'nothing is sent');
      await audit.check(page, '1-errors');

      // a date of birth in the future is refused; answering clears each message
      await q('dob').fill('2030-05-01');
      await q('dob').blur();
      assert.equal((await described(q('dob'))).message, 'This date cannot be in the future.');
      await q('dob').fill('1985-04-23');
      await q('reason').selectOption('pain');
      await q('consent').check();
      await q('history').fill('Allergic to penicillin');
      await q('insurer').fill('Nobody Mutual');
      assert.equal(await w.root.locator('.field-error:not(:empty)').count(), 0, 'all messages gone');

      // a 422 on an answer is shown at its question; emptied (it is optional), it is not sent
      await page.route(`${server.url}/api/v1/bookings`, (route) =>
        route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'validation_failed', message: 'invalid', fields: { 'answers.insurer': 'is not known' } },
          }),
        }),
      );
      await w.confirmButton.click();
      await w.root.locator('.field-error', { hasText: 'is not known' }).waitFor();
      assert.equal((await described(q('insurer'))).invalid, 'true');
      await page.unroute(`${server.url}/api/v1/bookings`);
      await q('insurer').fill('');

      // booked: the answers of this type only, empty optional ones left out
      await w.confirmButton.click();
      await w.done.waitFor();
      const sent = bookings.at(-1).postDataJSON();
      assert.deepEqual(sent.answers, {
        dob: '1985-04-23',
        reason: 'pain',
        history: 'Allergic to penicillin',
        consent: true,
      });
      const shown = await w.root.locator('[part~="answers"]').textContent();
      assert.match(shown, /Reason for the visit\s*Pain/);
      await audit.check(page, '2-confirmation');

      // the staff API has them, and the manage page shows them
      const id = (await w.root.locator('a[part~="manage"]').getAttribute('href')).match(/booking=([^&]+)/)[1];
      const staff = await (
        await fetch(`${server.url}/api/calendar/appointments/${id}`, { headers: { 'X-API-Key': TEST_API_KEY } })
      ).json();
      const answers = Object.fromEntries(staff.appointment.answers.map((a) => [a.id, a.value]));
      assert.deepEqual(answers, sent.answers);
      await page.goto(await w.root.locator('a[part~="manage"]').getAttribute('href'));
      const m = widget(page, 'clinic-booking-manage');
      const list = m.root.locator('dl[part~="answers"]');
      await list.waitFor();
      assert.deepEqual(await list.locator('dt').allTextContents(), [
        'Date of birth',
        'Reason for the visit',
        'Anything else we should know?',
        "I agree to the clinic's privacy notice",
      ]);
      assert.match(await list.textContent(), /Pain/);
      await audit.check(page, '3-manage');

      // Spanish: names, labels and messages
      const spanish = await launchBrowser({ locale: 'es-ES' });
      defer(spanish.close);
      const es = widget(spanish.page);
      await spanish.page.goto(`${server.url}/`);
      await es.times.first().waitFor();
      await spanish.page.evaluate(() => document.querySelector('clinic-booking').setAttribute('lang', 'es-MX'));
      await es.root.locator('option', { hasText: 'Consulta · 30 min' }).waitFor({ state: 'attached' });
      assert.ok((await es.practitionerSelect.locator('option').allTextContents()).includes('Dra. Ana Lee'));
      await es.times.first().click();
      await es.continueButton.click();
      await es.confirmButton.click();
      const esq = (id) => es.field(`answers.${id}`);
      assert.equal((await described(esq('dob'))).message, 'Responda a esta pregunta.');
      assert.equal((await described(esq('reason'))).message, 'Elija una respuesta.');
      assert.equal((await described(esq('consent'))).message, 'Marque esta casilla para continuar.');
      assert.match(
        await es.root.locator('form').textContent(),
        /Fecha de nacimiento.*Motivo de la visita.*Aseguradora \(opcional\)/,
      );
      assert.deepEqual(await esq('reason').locator('option').allTextContents(), ['Elija…', 'Revisión', 'Dolor']);
      await audit.check(spanish.page, '4-es-errors');

      assert.deepEqual(
        browser.problems.filter((p) => !/status of 422/.test(p)),
        [],
      );
      assert.deepEqual(spanish.problems, []);
      audit.assertClean();
    }),
);
