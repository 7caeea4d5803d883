// Shared by the staff app's browser tests: the accounts they sign in with, the server with
// those accounts, signing in through the login page, and a guard that fails a test on any
// Content-Security-Policy violation (the staff page's CSP has no 'unsafe-inline').

import { TEST_API_KEY } from './support.mjs';

export const ADMIN = { email: 'admin@example.com', password: 'admin-pass-0123', role: 'admin', clinic: 'demo' };
export const DESK = { email: 'desk@example.com', password: 'desk-pass-0123', role: 'front_desk', clinic: 'demo' };
export const LEE = {
  email: 'lee@example.com',
  password: 'lee-pass-0123',
  role: 'practitioner',
  clinic: 'demo',
  practitioner: 'dr-lee',
};
export const USERS = [ADMIN, DESK, LEE];

/** Records CSP violations in the page (window.cspViolations) from its first script on. */
export async function watchCsp(page) {
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || e.sourceFile || ''}`),
    );
  });
}

export const cspViolations = (page) => page.evaluate(() => window.cspViolations || []);

/** Opens /staff and signs in as `user` through the login form; waits for the day view. */
export async function signIn(page, serverUrl, user, hash = '') {
  await page.goto(`${serverUrl}/staff${hash}`);
  await page.locator('input[name="email"]').fill(user.email);
  await page.locator('input[name="password"]').fill(user.password);
  await page.locator('form.login button[type="submit"]').click();
  await page.locator('.session').waitFor();
}

/** A staff API call with the bootstrap key (test setup, not the app). */
export async function keyCall(serverUrl, method, path, body) {
  const response = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { 'X-API-Key': TEST_API_KEY, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}
