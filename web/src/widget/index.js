// Entry of booking-widget.js. Defines <clinic-booking>; when loaded by the one-line install
// (`<script src=".../booking-widget.js" data-clinic="ID" async>`) it also places a widget
// right after its own script tag, copying the tag's data-* settings as attributes.

import { configureAssets, sharedEngine } from './assets.js';
import { BookingWidget } from './element.js';

const script = document.currentScript;
configureAssets(script);
// the engine's two files are the longest download: asked for before anything else runs
sharedEngine().catch(() => {}); // a widget that uses it reports a failure

if (!customElements.get('clinic-booking')) customElements.define('clinic-booking', BookingWidget);

if (script && script.dataset.clinic) {
  const widget = document.createElement('clinic-booking');
  for (const [key, value] of Object.entries(script.dataset)) {
    widget.setAttribute(
      key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
      value,
    );
  }
  script.after(widget);
}
