// The booking server's HTTP API (docs/api.md) as the widget uses it (the manage page's own
// calls: manage/api.js).
// Failures come back as ApiError with a `kind` the UI can word: 'network' (nothing
// reached the server, so what the patient typed must be kept), 'conflict' (409),
// 'fields' (422), 'rate_limited' (429), 'not_found' (404), 'server'. The error's `code`
// tells 409s apart; a change refused as too late (`too_late_to_change`, manage page) also
// carries the `deadline` it missed and the `clinicPhone` to call.

export class ApiError extends Error {
  constructor(kind, message, details = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    Object.assign(this, details);
  }
}

const KIND_BY_STATUS = { 404: 'not_found', 409: 'conflict', 422: 'fields', 429: 'rate_limited' };

export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit', ...options });
  } catch (cause) {
    throw new ApiError('network', `could not reach ${url}: ${cause.message}`);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { response, text };
  let error = {};
  try {
    error = JSON.parse(text).error || {};
  } catch {
    /* a proxy's HTML error page: keep the status */
  }
  throw new ApiError(KIND_BY_STATUS[response.status] || 'server', error.message || `HTTP ${response.status}`, {
    status: response.status,
    code: error.code,
    reason: error.reason,
    fields: error.fields || {},
    deadline: error.deadline,
    clinicPhone: error.clinic_phone,
  });
}

export const jsonPost = (body, headers = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** A random key for Idempotency-Key: one per booking attempt, reused by its retries. */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class BookingApi {
  constructor(serverUrl) {
    this.server = String(serverUrl).replace(/\/+$/, '');
  }

  /** Absolute URL for a path the server returned (manage_url, ics_url). */
  resolve(path) {
    return new URL(path, `${this.server}/`).href;
  }

  /** `{text, data}`: the text is kept verbatim for the engine's snapshot cache. */
  /** `signal` (optional) aborts the fetch, e.g. when the widget leaves the page. */
  async snapshot(clinicId, signal) {
    // no-cache: the browser revalidates with the ETag, so an unchanged snapshot is a 304.
    const { text } = await request(`${this.server}/api/v1/clinics/${encodeURIComponent(clinicId)}/snapshot`, {
      cache: 'no-cache',
      signal,
    });
    return { text, data: JSON.parse(text) };
  }

  async book(booking, key) {
    const { text } = await request(`${this.server}/api/v1/bookings`, jsonPost(booking, { 'Idempotency-Key': key }));
    return JSON.parse(text).booking;
  }

  /** Holds a time while the patient types (docs/api.md, "Holds"); the hold's `{id, token, expires_at, ...}`. */
  async hold(body) {
    return JSON.parse((await request(`${this.server}/api/v1/holds`, jsonPost(body))).text).hold;
  }

  holdUrl(hold, action = '') {
    return `${this.server}/api/v1/holds/${encodeURIComponent(hold.id)}${action}?token=${encodeURIComponent(hold.token)}`;
  }

  async renewHold(hold) {
    return JSON.parse((await request(this.holdUrl(hold, '/renew'), { method: 'POST' })).text).hold;
  }

  /** Lets the time go; never fails (a hold that is gone already is what was wanted). */
  releaseHold(hold, keepalive = false) {
    return request(this.holdUrl(hold), { method: 'DELETE', keepalive }).catch(() => {});
  }
}
