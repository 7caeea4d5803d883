// The manage link from a confirmation: the patient sees the booking, moves it to another
// time (picked with the in-page engine), downloads the calendar file, and cancels it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillPatient, openDemoSite, screenshot, widget, withCleanup } from './support.mjs';

test('manage page: view, reschedule, .ics, cancel', { timeout: 120000 }, () =>
  withCleanup(async (defer) => {
    const { browser, page, w } = await openDemoSite(defer);
    await w.times.first().click();
    await w.continueButton.click();
    await fillPatient(w, { name: 'Mo Manage', email: 'mo@example.com' });
    await w.confirmButton.click();
    await w.done.waitFor();
    const manageHref = await w.root.locator('a[part~="manage"]').getAttribute('href');
    assert.match(manageHref, /\/manage\?booking=.+&token=.+/);

    await page.goto(manageHref);
    const m = widget(page, 'clinic-booking-manage');
    await m.root.locator('dl.details').waitFor();
    const before = await m.root.locator('dl.details').textContent();
    assert.match(before, /Mo Manage/);
    assert.match(before, /CP-\d{8}-/);
    await screenshot(page, 'manage-1-booking');

    await m.root.locator('button[part~="reschedule"]').click();
    await m.times.first().waitFor();
    const newTime = m.times.nth(Math.min(2, (await m.times.count()) - 1));
    await newTime.click();
    await screenshot(page, 'manage-2-reschedule');
    await m.root.locator('button[part~="primary"]').click();
    await m.root.locator('.notice.success').waitFor();
    assert.match(await m.root.locator('.notice.success').textContent(), /moved to/);
    assert.notEqual(await m.root.locator('dl.details').textContent(), before, 'the time changed');
    await screenshot(page, 'manage-3-rescheduled');

    const icsHref = await m.root.locator('a[part~="ics"]').getAttribute('href');
    const ics = await (await fetch(icsHref)).text();
    assert.match(ics, /SEQUENCE:1/);

    await m.root.locator('button[part~="cancel"]').click();
    await m.root.locator('textarea').fill('Feeling better');
    await m.root.locator('button[part~="confirm-cancel"]').click();
    await m.root.locator('.status.cancelled').waitFor();
    await screenshot(page, 'manage-4-cancelled');
    assert.match(await (await fetch(icsHref)).text(), /STATUS:CANCELLED/);
    assert.deepEqual(browser.problems, []);

    // a wrong token finds nothing, and says so
    await page.goto(manageHref.replace(/token=[^&]+/, 'token=wrong'));
    await m.root.locator('.notice.error').waitFor();
    assert.match(await m.root.locator('.notice.error').textContent(), /could not find this booking/);
  }),
);
