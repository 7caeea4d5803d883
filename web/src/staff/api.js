// The booking server's staff API (docs/api.md) as the staff app uses it: same-origin
// requests with the session cookie, the CSRF token on every non-GET request, and one
// error type. A 401 on any call but the login itself means the session ended: the app is
// told (onUnauthorized) so it can show the login page and come back to the same view.

export class StaffApiError extends Error {
  constructor(status, body = {}) {
    // two error shapes: the staff endpoints' {success:false, error, code, details, fields}
    // and the public ones' {error: {code, message, ...}}
    const nested = body.error && typeof body.error === 'object' ? body.error : null;
    const source = nested || body;
    super((nested ? nested.message : body.error) || `HTTP ${status}`);
    this.name = 'StaffApiError';
    this.status = status;
    this.code = source.code || (status === 0 ? 'network' : `http_${status}`);
    this.details = source.details;
    this.fields = source.fields || {};
    this.reason = source.reason;
    this.retryAfter = source.retry_after_seconds;
    this.body = body;
  }
}

const query = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {}))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export class StaffApi {
  constructor({ onUnauthorized = () => {} } = {}) {
    this.csrfToken = '';
    this.onUnauthorized = onUnauthorized;
  }

  /**
   * One request. Resolves to the parsed body (or `{notModified: true}` for a 304 when
   * `etag` was given, `{etag}` added otherwise); rejects with StaffApiError.
   */
  async request(method, path, { params, body, etag, signal, quiet401 = false } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;
    if (etag) headers['If-None-Match'] = etag;
    let response;
    try {
      response = await fetch(`${path}${query(params)}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        // no-store: the browser passes a 304 to us instead of answering from its cache
        cache: 'no-store',
        signal,
      });
    } catch (cause) {
      if (cause && cause.name === 'AbortError') throw cause;
      throw new StaffApiError(0, { error: cause.message, code: 'network' });
    }
    if (response.status === 304) return { notModified: true };
    const text = await response.text().catch(() => '');
    let data = {};
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      /* a proxy's HTML page: the status says enough */
    }
    if (!response.ok) {
      const error = new StaffApiError(response.status, data);
      if (response.status === 401 && !quiet401) this.onUnauthorized(error);
      throw error;
    }
    const answer = data && typeof data === 'object' ? data : { value: data };
    const tag = response.headers.get('ETag');
    if (tag) Object.defineProperty(answer, 'etag', { value: tag });
    Object.defineProperty(answer, 'text', { value: text });
    return answer;
  }

  get = (path, options) => this.request('GET', path, options);
  post = (path, body, options = {}) => this.request('POST', path, { ...options, body });
  put = (path, body, options = {}) => this.request('PUT', path, { ...options, body });
  patch = (path, body, options = {}) => this.request('PATCH', path, { ...options, body });
  delete = (path, body, options = {}) => this.request('DELETE', path, { ...options, body });

  // ---- sessions ----------------------------------------------------------------------------
  remember(session) {
    this.csrfToken = session.csrf_token || '';
    return session;
  }
  async login(email, password) {
    return this.remember(await this.post('/api/v1/session', { email, password }, { quiet401: true }));
  }
  async session() {
    return this.remember(await this.get('/api/v1/session', { quiet401: true }));
  }
  logout = () => this.delete('/api/v1/session', undefined, { quiet401: true });
  signOutEverywhere = () => this.post('/api/v1/session/sign-out-everywhere', {}, { quiet401: true });
}

/** A path segment, encoded. */
export const seg = (value) => encodeURIComponent(String(value));
