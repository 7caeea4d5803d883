// What <clinic-booking> and <clinic-booking-manage> share: an open shadow root with the
// styles, the view the element renders into and two screen-reader regions, and the
// element's lifetime on the page: announcements and loads belong to one "generation",
// which ends when the element is disconnected or starts over, so nothing in flight renders
// into an element that has moved on.

import { h } from './dom.js';
import { applyStyles } from './styles.js';

export class Shell {
  constructor(host) {
    const shadow = host.attachShadow({ mode: 'open' });
    applyStyles(shadow);
    this.live = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
    this.alert = h('div', { class: 'sr-only', attrs: { role: 'alert' } });
    this.view = h('div', { class: 'view' });
    shadow.append(h('div', { class: 'root', part: 'container' }, this.view, this.live, this.alert));
    this.timers = new Set();
    this.generation = 0;
    this.loads = null;
  }

  /**
   * Ends what the previous generation had in flight and starts a new one. Returns its
   * `{signal, current()}`: pass `signal` to fetches; render only while `current()`.
   */
  begin() {
    this.end();
    const generation = this.generation;
    this.loads = new AbortController();
    return { signal: this.loads.signal, current: () => generation === this.generation };
  }

  /** The element left the page (or starts over): abort loads, drop timers. */
  end() {
    this.generation += 1;
    if (this.loads) this.loads.abort();
    this.loads = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  announce(text) {
    this.speak(this.live, text);
  }

  announceAlert(text) {
    this.speak(this.alert, text);
  }

  speak(region, text) {
    // cleared first so the same text twice is announced twice
    region.textContent = '';
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      region.textContent = text;
    }, 30);
    this.timers.add(timer);
  }
}
