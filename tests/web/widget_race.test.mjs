// Two patients in two browsers confirm the same time at once. The server lets exactly one
// through; the other is told plainly that the time was just taken and offered the nearest
// free times, keeps what they typed, and can book one of those. Both ask for the same
// practitioner: with "any", two patients can share a time two practitioners have free.
// The clinic holds no times (hold_minutes 0), so the race is the booking's; with holds, the
// first to press Continue holds the time (widget_holds.test.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clinicFile, fillPatient, launchBrowser, screenshot, startServer, widget, withCleanup } from './support.mjs';

async function readyToConfirm(browser, url, patient) {
  const { page } = browser;
  await page.goto(url);
  const w = widget(page);
  await w.times.first().waitFor();
  await w.practitionerSelect.selectOption('dr-lee');
  await w.times.first().waitFor();
  await w.times.first().click();
  await w.continueButton.click();
  await fillPatient(w, patient);
  return w;
}

test('two browsers race for one time; the loser sees the conflict and alternatives', { timeout: 120000 }, () =>
  withCleanup(async (defer) => {
    const server = await startServer({ clinic: clinicFile(defer, (config) => (config.rules.hold_minutes = 0)) });
    defer(server.stop);
    const first = await launchBrowser();
    defer(first.close);
    const second = await launchBrowser();
    defer(second.close);

    const [a, b] = await Promise.all([
      readyToConfirm(first, `${server.url}/`, { name: 'Alex First', email: 'alex@example.com' }),
      readyToConfirm(second, `${server.url}/`, { name: 'Bo Second', email: 'bo@example.com' }),
    ]);
    assert.equal(
      await a.root.locator('.summary strong').textContent(),
      await b.root.locator('.summary strong').textContent(),
      'both chose the same time',
    );

    await Promise.all([a.confirmButton.click(), b.confirmButton.click()]);
    const outcome = async (w) => {
      await w.root.locator('.done, .notice:not(:empty)').first().waitFor();
      return (await w.done.count()) ? 'booked' : 'refused';
    };
    const results = await Promise.all([outcome(a), outcome(b)]);
    assert.deepEqual([...results].sort(), ['booked', 'refused'], `exactly one wins: ${results}`);
    const [winner, loser, loserBrowser] = results[0] === 'booked' ? [a, b, second] : [b, a, first];
    assert.ok(winner);

    const notice = await loser.notice.textContent();
    assert.match(notice, /that time was just taken/);
    assert.ok((await loser.alternatives.count()) > 0, 'nearest free times are offered');
    assert.equal(
      await loser.field('email').inputValue(),
      results[0] === 'booked' ? 'bo@example.com' : 'alex@example.com',
      'the form keeps what was typed',
    );
    await screenshot(loserBrowser.page, 'race-1-loser-conflict');

    // the loser takes the nearest alternative and books it
    await loser.alternatives.first().click();
    await loser.confirmButton.click();
    await loser.done.waitFor();
    await screenshot(loserBrowser.page, 'race-2-loser-booked-alternative');
    assert.deepEqual(
      [...first.problems, ...second.problems].filter((p) => !/409/.test(p)),
      [],
    );
  }),
);
