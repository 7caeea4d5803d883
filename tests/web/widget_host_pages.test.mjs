// The widget on other sites: a host page on another origin (CORS) with hostile global CSS,
// one under a strict Content-Security-Policy (the documented line), one in Spanish, and a
// 320 px wide phone screen. Each must render the finished widget and be able to book.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fillPatient,
  launchBrowser,
  screenshot,
  startHostServer,
  startServer,
  widget,
  withCleanup,
} from './support.mjs';

const HOSTILE_CSS = `
  html { font-size: 6px; }
  * { all: unset; box-sizing: content-box !important; font-family: "Comic Sans MS", cursive !important;
      color: #ff00aa !important; line-height: 3 !important; letter-spacing: 4px; text-transform: uppercase; }
  body { display: block; background: repeating-linear-gradient(45deg, #ffe, #ffe 10px, #eef 10px, #eef 20px); padding: 20px; }
  div, section, table, td, button, label, input, span, h2, h3, p { display: inline !important; border: 3px dashed red !important; margin: 9px !important; }
  button { background: yellow !important; }
  clinic-booking { text-align: right; word-spacing: 30px; font-style: italic; }
  head, style, title, script { display: none !important; }
`;

const page = (serverUrl, { lang = 'en', css = '', extra = '' } = {}) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>host</title>${css ? `<style>${css}</style>` : ''}</head>
<body><h1>Partner site</h1>${extra}
<script src="${serverUrl}/widget/booking-widget.js" data-clinic="demo" async></script>
</body></html>`;

async function computed(w) {
  return w.times
    .first()
    .locator('span')
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        font: s.fontFamily,
        size: s.fontSize,
        color: s.color,
        background: s.backgroundColor,
        transform: s.textTransform,
        spacing: s.letterSpacing,
        border: s.borderTopStyle,
      };
    });
}

async function book(w, patient) {
  await w.times.first().click();
  await w.continueButton.click();
  await fillPatient(w, patient);
  await w.confirmButton.click();
  await w.done.waitFor();
}

test('another origin, hostile CSS, strict CSP, Spanish, 320 px', { timeout: 180000 }, () =>
  withCleanup(async (defer) => {
    // the host server first: the booking server must allow its origin
    const pages = {};
    const host = await startHostServer(pages);
    defer(host.stop);
    const server = await startServer({ allowOrigins: [host.url] });
    defer(server.stop);
    const csp = `default-src 'none'; script-src 'self' ${server.url} 'wasm-unsafe-eval'; connect-src ${server.url}; style-src 'self'; img-src 'self'`;
    pages['/plain'] = { html: page(server.url) };
    pages['/hostile'] = { html: page(server.url, { css: HOSTILE_CSS }) };
    pages['/csp'] = { html: page(server.url), headers: { 'Content-Security-Policy': csp } };
    pages['/es'] = { html: page(server.url, { lang: 'es' }) };

    // the widget's files are fetched cross-origin too (the .wasm by fetch), so they need CORS
    const widgetJs = await fetch(`${server.url}/widget/booking-widget.js`, { headers: { Origin: host.url } });
    const engineWasm = /"(slot-engine\.[0-9a-f]+\.wasm)"/.exec(await widgetJs.text())[1];
    const wasm = await fetch(`${server.url}/widget/${engineWasm}`, { headers: { Origin: host.url } });
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.ok(
      ['*', host.url].includes(wasm.headers.get('access-control-allow-origin')),
      '/widget/* must send Access-Control-Allow-Origin for host pages on other origins (docs/api.md, Static files)',
    );

    // reference look on a plain cross-origin page
    const browser = await launchBrowser();
    defer(browser.close);
    await browser.page.goto(`${host.url}/plain`);
    const plain = widget(browser.page);
    await plain.times.first().waitFor();
    const reference = await computed(plain);
    const referenceBox = await plain.root.locator('.root').boundingBox();

    await browser.page.goto(`${host.url}/hostile`);
    const hostile = widget(browser.page);
    await hostile.times.first().waitFor();
    assert.deepEqual(await computed(hostile), reference, 'host CSS does not reach inside the widget');
    const box = await hostile.root.locator('.root').boundingBox();
    assert.ok(
      Math.abs(box.width - referenceBox.width) < 80,
      `widget keeps its width (${box.width} vs ${referenceBox.width})`,
    );
    await screenshot(browser.page, 'host-1-hostile-css');
    await book(hostile, { name: 'Hana Hostile', email: 'hana@example.com' });
    await screenshot(browser.page, 'host-2-hostile-css-booked');

    // strict CSP: nothing refused, and the cross-origin booking (preflight included) works
    const violations = [];
    browser.page.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
    await browser.page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await browser.page.goto(`${host.url}/csp`);
    const strict = widget(browser.page);
    await strict.times.first().waitFor();
    assert.deepEqual(await computed(strict), reference, 'styles apply under the CSP');
    await screenshot(browser.page, 'host-3-strict-csp');
    await book(strict, { name: 'Chris Csp', email: 'chris@example.com' });
    assert.deepEqual(await browser.page.evaluate(() => window.cspViolations), []);
    assert.deepEqual(violations, []);

    // Spanish: strings, month and weekday names, Monday first; times in a zone that differs
    const spanish = await launchBrowser({ timezoneId: 'Europe/Madrid', locale: 'es-ES' });
    defer(spanish.close);
    await spanish.page.goto(`${host.url}/es`);
    const es = widget(spanish.page);
    await es.times.first().waitFor();
    const text = await es.root.locator('.root').textContent();
    assert.match(text, /Reserve una cita/);
    assert.match(text, /Tipo de cita/);
    assert.match(text, /Horarios del/);
    assert.match(
      text,
      /(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre) de 20\d\d/,
    );
    assert.match(await es.root.locator('th').first().textContent(), /lun/i, 'weeks start on Monday');
    assert.match(text, /La clínica está en/, 'the clinic zone is named when it differs');
    await screenshot(spanish.page, 'host-4-spanish');
    await es.times.first().click();
    await es.continueButton.click();
    await es.confirmButton.click();
    assert.match(await es.root.locator('.field-error:not(:empty)').first().textContent(), /Indique su nombre completo/);
    await screenshot(spanish.page, 'host-5-spanish-errors');
    // booked in Spanish: the booking says so, for the clinic's messages to the patient
    await fillPatient(es, { name: 'Lucía Gómez', email: 'lucia@example.com' });
    const posted = spanish.page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/bookings'));
    await es.confirmButton.click();
    assert.equal(JSON.parse((await posted).postData()).patient.language, 'es');
    await es.done.waitFor();

    // a 320 px phone: no sideways scrolling, the whole flow still fits
    const phone = await launchBrowser({ viewport: { width: 320, height: 720 } });
    defer(phone.close);
    await phone.page.goto(`${host.url}/plain`);
    const small = widget(phone.page);
    await small.times.first().waitFor();
    assert.ok(
      await phone.page.evaluate(() => document.scrollingElement.scrollWidth <= 320),
      'no horizontal scroll at 320 px',
    );
    await screenshot(phone.page, 'host-6-phone-320');

    assert.deepEqual(browser.problems, []);
    assert.deepEqual(spanish.problems, []);
    assert.deepEqual(phone.problems, []);
  }),
);
