// A patient books with the keyboard alone: Tab into the calendar grid, arrows and Enter to
// choose a day, the time radio group, the form, and focus lands where it should each step.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { focusedInWidget, openDemoSite, screenshot, withCleanup } from './support.mjs';

async function tabUntil(page, predicate, limit = 30) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await focusedInWidget(page);
    if (focused && predicate(focused)) return focused;
  }
  throw new Error('focus never reached the expected element');
}

test('keyboard-only booking', { timeout: 120000 }, () =>
  withCleanup(async (defer) => {
    const { browser, page, w } = await openDemoSite(defer);

    // Tab reaches the grid on exactly one day (roving tabindex)
    const gridDay = await tabUntil(page, (f) => f.tag === 'td');
    assert.ok(gridDay.date, 'a day cell has focus');
    assert.equal(await w.root.locator('td[tabindex="0"]').count(), 1);

    // arrows walk the days (across weeks and months); Enter chooses a free one
    await page.keyboard.press('ArrowDown');
    assert.equal((await focusedInWidget(page)).date, addDaysIso(gridDay.date, 7));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    const nextMonth = (await focusedInWidget(page)).date;
    assert.notEqual(nextMonth.slice(0, 7), gridDay.date.slice(0, 7), 'PageDown moves a month');
    await page.keyboard.press('PageUp');
    assert.equal((await focusedInWidget(page)).date.slice(0, 7), gridDay.date.slice(0, 7));

    let chosen = null;
    for (let i = 0; i < 40 && !chosen; i++) {
      await page.keyboard.press('ArrowRight');
      const focused = await focusedInWidget(page);
      if (focused.className.includes('free') && focused.date !== gridDay.date) chosen = focused.date;
    }
    assert.ok(chosen, 'found another free day with the arrows');
    await screenshot(page, 'keyboard-1-day-focused');
    await page.keyboard.press('Enter');
    assert.equal(await w.selectedDay.getAttribute('data-date'), chosen);

    // the times are a radio group: Tab in, Space picks, arrows move the choice
    const radio = await tabUntil(page, (f) => f.type === 'radio');
    assert.equal(radio.tag, 'input');
    await page.keyboard.press('Space');
    if ((await w.times.count()) > 1) await page.keyboard.press('ArrowRight');
    assert.equal(await w.root.locator('.times-panel input:checked').count(), 1);
    await screenshot(page, 'keyboard-2-time-chosen');
    const continueFocus = await tabUntil(page, (f) => f.tag === 'button');
    assert.match(continueFocus.text, /Continue/);
    await page.keyboard.press('Enter');

    // details: focus on the step heading, then through the form
    assert.match((await focusedInWidget(page)).text, /Your details/);
    await tabUntil(page, (f) => f.name === 'name');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+1 555 0199');
    await page.keyboard.press('Tab');
    // the consent to texts sits under the phone; passing it leaves it unticked
    assert.equal((await focusedInWidget(page)).name, 'sms_opt_in');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Booked without a mouse');
    await page.keyboard.press('Tab');
    const confirm = await focusedInWidget(page);
    assert.match(confirm.text, /Confirm booking/);
    await screenshot(page, 'keyboard-3-details');
    await page.keyboard.press('Enter');
    await w.done.waitFor();
    assert.match((await focusedInWidget(page)).text, /You are booked/);
    await screenshot(page, 'keyboard-4-confirmed');
    assert.deepEqual(browser.problems, []);
  }),
);

function addDaysIso(date, days) {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}
