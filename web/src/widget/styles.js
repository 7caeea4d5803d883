// The widget's stylesheet, adopted into its shadow root. Adopted sheets are not inline
// <style>, so a host page's strict CSP (no 'unsafe-inline') does not block them. Lengths
// are in px, never rem: a host page's `html { font-size }` must not resize the widget.
// Inherited properties are all set on .root, so host-page typography cannot leak in.
// Theming: the --booking-* custom properties (they inherit through the shadow boundary)
// and the ::part names on elements.

export const CSS = `
/* !important: a host page's '* { all: unset }' must not turn the widget inline */
:host { display: block !important; container-type: inline-size !important; }
:host([hidden]) { display: none !important; }
.root {
  --_accent: var(--booking-accent, #0b5cad);
  --_on-accent: var(--booking-accent-text, #ffffff);
  --_accent-soft: var(--booking-accent-soft, #e7f0fa);
  --_text: var(--booking-text, #1d2430);
  --_muted: var(--booking-muted, #5a6473);
  --_bg: var(--booking-background, #ffffff);
  --_surface: var(--booking-surface, #f4f6f9);
  --_border: var(--booking-border, #d3d9e2);
  --_error: var(--booking-error, #b3261e);
  --_success: var(--booking-success, #1c6b3a);
  --_radius: var(--booking-radius, 10px);
  --_font: var(--booking-font, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif);
  box-sizing: border-box; display: block; position: relative;
  max-width: var(--booking-max-width, 780px); margin: 0; padding: 20px;
  background: var(--_bg); color: var(--_text);
  border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px);
  box-shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 4px 16px rgba(16, 24, 40, .06);
  font-family: var(--_font); font-size: 15px; font-weight: 400; font-style: normal;
  line-height: 1.45; letter-spacing: normal; word-spacing: normal; text-align: left;
  text-transform: none; text-indent: 0; text-shadow: none; white-space: normal;
  visibility: visible; cursor: auto; direction: ltr; -webkit-font-smoothing: antialiased;
}
.root *, .root *::before, .root *::after { box-sizing: border-box; }
h2, h3, p, dl, dd, table { margin: 0; }
h2 { font-size: 20px; font-weight: 650; line-height: 1.25; }
h3 { font-size: 15px; font-weight: 600; }
h2:focus, h3:focus { outline: none; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
.header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 12px; margin-bottom: 16px; }
.clinic-name { color: var(--_muted); font-size: 14px; }
.choices { display: grid; gap: 12px; margin-bottom: 16px; }
.choice label, .field label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 6px; }
select, input, textarea {
  font: inherit; color: var(--_text); background: var(--_bg); width: 100%; min-height: 44px;
  border: 1px solid #8a94a3; border-radius: var(--_radius); padding: 9px 12px; margin: 0;
}
select { appearance: none; padding-right: 36px; cursor: pointer;
  background-image: linear-gradient(45deg, transparent 50%, var(--_muted) 50%), linear-gradient(135deg, var(--_muted) 50%, transparent 50%);
  background-position: calc(100% - 19px) 19px, calc(100% - 14px) 19px; background-size: 5px 5px; background-repeat: no-repeat; }
textarea { resize: vertical; min-height: 76px; }
select:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid var(--_accent); outline-offset: 0; border-color: var(--_accent); }
input[aria-invalid="true"], textarea[aria-invalid="true"] { border-color: var(--_error); border-width: 2px; }
.picker { display: grid; gap: 16px; }
.panel { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 12px; background: var(--_bg); min-width: 0; }
.calendar-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 8px; }
.month-title { font-size: 16px; }
.icon-button { font: inherit; font-size: 22px; line-height: 1; width: 40px; height: 40px; border-radius: 50%;
  border: 1px solid transparent; background: transparent; color: var(--_accent); cursor: pointer; }
.icon-button:hover:not(:disabled) { background: var(--_accent-soft); }
.icon-button:disabled { color: #9aa3b0; cursor: default; }
.grid { width: 100%; border-collapse: separate; border-spacing: 2px; table-layout: fixed; }
.grid th { font-size: 12px; font-weight: 600; color: var(--_muted); padding: 4px 0; text-align: center; text-transform: capitalize; }
.grid td { text-align: center; padding: 0; height: 40px; border-radius: 8px; font-size: 14px; color: #8b94a3; cursor: default; user-select: none; }
.grid td.free { color: var(--_accent); background: var(--_accent-soft); font-weight: 650; cursor: pointer; }
.grid td.free:hover { box-shadow: inset 0 0 0 2px var(--_accent); }
.grid td.today { text-decoration: underline; text-underline-offset: 3px; }
.grid td[aria-selected="true"] { background: var(--_accent); color: var(--_on-accent); }
.grid td:focus { outline: none; }
.grid td:focus-visible { outline: 3px solid var(--_text); outline-offset: 1px; position: relative; z-index: 1; }
.times-title { margin-bottom: 10px; }
.times { display: grid; grid-template-columns: repeat(auto-fill, minmax(86px, 1fr)); gap: 8px; max-height: 292px; overflow-y: auto; padding: 3px; margin: -3px; }
.time { position: relative; display: block; }
.time input { position: absolute; inset: 0; opacity: 0; margin: 0; min-height: 0; cursor: pointer; }
.time span { display: flex; align-items: center; justify-content: center; min-height: 44px; padding: 8px 6px;
  border: 1px solid var(--_accent); border-radius: var(--_radius); color: var(--_accent); background: var(--_bg);
  font-weight: 600; font-size: 14px; text-align: center; cursor: pointer; }
.time:hover span { background: var(--_accent-soft); }
.time input:checked + span { background: var(--_accent); color: var(--_on-accent); }
.time input:focus-visible + span { outline: 3px solid var(--_text); outline-offset: 2px; }
.hint { color: var(--_muted); font-size: 14px; }
.zone-note { color: var(--_muted); font-size: 13px; margin-top: 12px; }
.actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-top: 16px; }
button.primary, button.secondary, a.button {
  font: inherit; font-weight: 600; font-size: 15px; min-height: 44px; padding: 10px 20px; border-radius: var(--_radius);
  border: 1px solid var(--_accent); cursor: pointer; text-decoration: none; display: inline-flex; align-items: center; justify-content: center; gap: 6px; }
button.primary, a.button.primary { background: var(--_accent); color: var(--_on-accent); }
button.primary:hover:not(:disabled) { filter: brightness(1.1); }
button.secondary, a.button { background: var(--_bg); color: var(--_accent); }
button.secondary:hover, a.button:hover { background: var(--_accent-soft); }
button:disabled, button[aria-disabled="true"] { opacity: .55; cursor: not-allowed; }
button.link { font: inherit; font-size: 14px; font-weight: 600; background: none; border: 0; padding: 6px 0; color: var(--_accent); cursor: pointer; text-decoration: underline; text-underline-offset: 3px; }
.details a { color: var(--_accent); text-underline-offset: 3px; }
.summary { background: var(--_surface); border-radius: var(--_radius); padding: 12px 14px; margin: 12px 0 16px; border-left: 4px solid var(--_accent); }
.summary strong { display: block; font-size: 16px; }
.summary .muted { color: var(--_muted); font-size: 14px; }
.summary.taken { border-left-color: var(--_error); }
.summary.taken strong { text-decoration: line-through; color: var(--_muted); }
.patient-form { display: grid; gap: 14px; }
.consent { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; align-items: start; margin-top: -4px; }
.consent input { width: 20px; height: 20px; min-height: 0; margin: 1px 0 0; padding: 0; accent-color: var(--_accent); cursor: pointer; }
.consent input:focus-visible { outline-offset: 2px; }
.consent label { font-size: 15px; cursor: pointer; }
.consent .hint { grid-column: 2; font-size: 13px; }
.field-error { color: var(--_error); font-size: 13px; font-weight: 600; margin-top: 4px; }
.field-error:empty { display: none; }
.notice { border-radius: var(--_radius); padding: 12px 14px; margin-bottom: 16px; border: 1px solid; }
.notice:empty { display: none; }
.notice.error { background: #fdf1f0; border-color: #e8b4b0; color: #7a1d17; }
.notice.success { background: #eaf6ee; border-color: #a9d8b8; color: #14532d; }
.notice p + p, .notice p + .times, .notice .times + .actions { margin-top: 8px; }
.notice .actions { margin-top: 10px; }
.notice .times { max-height: none; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
.notice .time span { font-size: 13px; }
.loading { display: flex; align-items: center; gap: 12px; color: var(--_muted); padding: 28px 4px; }
.spinner { width: 22px; height: 22px; border-radius: 50%; border: 3px solid var(--_accent-soft); border-top-color: var(--_accent); animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
.done { text-align: center; padding: 8px 0; }
.done .check { width: 52px; height: 52px; margin: 0 auto 12px; border-radius: 50%; background: #e3f3e8; color: var(--_success);
  display: flex; align-items: center; justify-content: center; font-size: 28px; font-weight: 700; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; text-align: left; margin: 16px 0 0; max-width: 560px;
  background: var(--_surface); border-radius: var(--_radius); padding: 14px 16px; }
.details dt { color: var(--_muted); font-size: 14px; }
.details dd { font-weight: 600; overflow-wrap: anywhere; }
.done .details { margin: 18px auto 0; }
.done .actions { justify-content: center; }
.done .hint { margin: 14px 0 4px; }
.status { display: inline-block; font-size: 13px; font-weight: 700; padding: 2px 10px; border-radius: 999px; background: #e3f3e8; color: var(--_success); vertical-align: middle; margin-left: 8px; }
.status.cancelled { background: #fdf1f0; color: var(--_error); }
.hold:not(:empty) { margin: -6px 0 16px; }
.notice.calm { background: var(--_surface); border-color: var(--_border); }
.consent .field-error { grid-column: 2; }
.answers-title { margin-top: 18px; }
.answers-title + .details { margin-top: 8px; }
.confirm-box { margin-top: 16px; padding: 14px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); }
@container (min-width: 600px) {
  .choices { grid-template-columns: 1fr 1fr; }
  .picker { grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr); align-items: start; }
}
@container (max-width: 360px) {
  .root { padding: 12px; }
  .panel { padding: 8px; }
  .grid td { height: 36px; }
  .details { grid-template-columns: 1fr; }
}
@media (forced-colors: active) {
  .grid td[aria-selected="true"], .time input:checked + span { forced-color-adjust: none; background: Highlight; color: HighlightText; }
}
`;

/** Adopts the stylesheet into `shadowRoot` (a <style> element where adoption is missing). */
let sharedSheet = null;

export function applyStyles(shadowRoot) {
  if ('adoptedStyleSheets' in Document.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(CSS);
    }
    shadowRoot.adoptedStyleSheets = [sharedSheet];
  } else {
    const style = document.createElement('style');
    style.textContent = CSS;
    shadowRoot.append(style);
  }
}
