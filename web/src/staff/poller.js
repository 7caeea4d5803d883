// Asks GET /api/v1/schedule again every few seconds with the last ETag, so an unchanged
// schedule costs a 304 and no redraw. Stops with the view (stop()), and skips its turn
// while the tab is hidden: a front desk leaves the app open all day.

export class SchedulePoller {
  constructor(api, params, onData, { intervalMs = 5000, onError = () => {} } = {}) {
    Object.assign(this, { api, params, onData, intervalMs, onError });
    this.etag = '';
    this.timer = 0;
    this.stopped = false;
    this.controller = null;
  }

  /** Loads now (resolves once the first answer is drawn) and keeps polling. */
  async start() {
    await this.poll();
  }

  async poll() {
    clearTimeout(this.timer);
    if (this.stopped) return;
    if (document.visibilityState !== 'hidden') {
      if (this.controller) this.controller.abort();
      this.controller = new AbortController();
      try {
        const answer = await this.api.get('/api/v1/schedule', {
          params: this.params,
          etag: this.etag || undefined,
          signal: this.controller.signal,
        });
        if (!answer.notModified && !this.stopped) {
          this.etag = answer.etag || '';
          this.onData(answer);
        }
      } catch (error) {
        if (error.name === 'AbortError' || this.stopped) return;
        if (error.status === 401) return; // the app shows the login
        this.onError(error);
      }
    }
    if (!this.stopped) this.timer = setTimeout(() => this.poll(), this.intervalMs);
  }

  /** Now rather than at the next tick (after a change made here). */
  refresh = () => this.poll();

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
  }
}
