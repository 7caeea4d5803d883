// A few lines instead of a framework: build elements from tag, properties and children.
// Properties starting with "on" become listeners; `attrs` go through setAttribute (ARIA,
// data-*); `part` names the element for ::part theming. Never sets the `style` attribute,
// which a strict CSP without 'unsafe-inline' would refuse.

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'attrs') {
      for (const [name, v] of Object.entries(value))
        if (v !== undefined && v !== null && v !== false) el.setAttribute(name, String(v));
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'part') {
      el.setAttribute('part', value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else {
      el[key] = value;
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

let nextId = 0;
/** Unique ids for label/aria wiring inside one shadow root. */
export const uid = (prefix) => `${prefix}-${++nextId}`;

/** What an input holds: a checkbox whether it is ticked, any other its text trimmed. */
export const inputValue = (input) => (input.type === 'checkbox' ? input.checked : input.value.trim());

/** Replaces all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
