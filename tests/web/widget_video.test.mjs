// A video appointment on the confirmation and the manage page: a Jitsi room's join link at
// once; for a Zoom type whose link the provider has yet to make, a calm "the link will
// come by email" (this server has no Zoom credentials, so it stays pending), in English
// and Spanish. The clinic is the demo clinic with two of its types made video types (and an
// address): the web calendar links' location is the join link, or while it is being made
// the clinic's name, never its address.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { demoClinic, fillPatient, openDemoSite, screenshot, withCleanup } from './support.mjs';

function videoClinic() {
  const config = JSON.parse(fs.readFileSync(demoClinic, 'utf8'));
  for (const type of config.appointment_types) {
    if (type.id === 'follow-up') type.video = 'jitsi';
    if (type.id === 'therapy') type.video = 'zoom';
  }
  config.clinic.address = { line: ['12 River Street'], city: 'Springfield', state: 'MA', postal_code: '01103' };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'slotbook-video-')), 'clinic.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

test('video appointments: the join link, or that it comes by email', { timeout: 180000 }, () =>
  withCleanup(async (defer) => {
    const clinic = videoClinic();
    defer(async () => fs.rmSync(path.dirname(clinic), { recursive: true, force: true }));
    const { page, w } = await openDemoSite(defer, { clinic });
    const setAttr = (name, value) =>
      page.evaluate(([n, v]) => document.querySelector('clinic-booking').setAttribute(n, v), [name, value]);
    const book = async (type) => {
      await setAttr('appointment-type', type);
      await page.waitForFunction(
        (t) => document.querySelector('clinic-booking').shadowRoot.querySelector('.choices select').value === t,
        type,
      );
      await w.times.first().click();
      await w.continueButton.click();
      await w.field('name').waitFor();
      await fillPatient(w);
      await w.confirmButton.click();
      await w.done.waitFor();
    };

    await book('follow-up');
    const link = w.root.locator('a[part~="meeting-link"]');
    assert.equal(await link.textContent(), 'Join the video meeting');
    assert.match(await link.getAttribute('href'), /^https:\/\/meet\.jit\.si\/slotbook-[0-9a-f]{32}$/);
    assert.equal(await link.getAttribute('rel'), 'noopener');
    await screenshot(page, 'video-1-jitsi-link');
    const locations = async (root) =>
      Promise.all(
        ['google-calendar', 'outlook-calendar'].map(async (part) => {
          const href = await root.locator(`a[part~="${part}"]`).getAttribute('href');
          return new URL(href).searchParams.get('location');
        }),
      );
    assert.deepEqual(await locations(w.root), [await link.getAttribute('href'), await link.getAttribute('href')]);

    // The manage page shows the same link.
    const manageUrl = await w.root.locator('a[part~="manage"]').getAttribute('href');
    const jitsi = await link.getAttribute('href');
    const manage = await page.context().newPage();
    await manage.goto(manageUrl);
    const manageLink = manage.locator('clinic-booking-manage a[part~="meeting-link"]');
    await manageLink.waitFor();
    assert.equal(await manageLink.getAttribute('href'), jitsi);
    assert.deepEqual(await locations(manage.locator('clinic-booking-manage')), [jitsi, jitsi]);
    await manage.close();

    await w.root.locator('button.link').click(); // book another
    await w.times.first().waitFor();
    await book('therapy');
    const details = await w.done.locator('dl').textContent();
    assert.match(details, /Video meeting\s*The link will come by email\./);
    assert.equal(await w.root.locator('a[part~="meeting-link"]').count(), 0);
    assert.deepEqual(await locations(w.root), ['Riverside Family Clinic', 'Riverside Family Clinic']);
    await screenshot(page, 'video-2-link-by-email');

    await w.root.locator('button.link').click();
    await setAttr('lang', 'es');
    await w.root.locator('h2', { hasText: 'Reserve una cita' }).waitFor();
    await w.times.first().waitFor();
    await book('therapy');
    assert.match(await w.done.locator('dl').textContent(), /Videollamada\s*El enlace le llegará por correo\./);
  }),
);
