// Names a clinic gave per language ({en: "Consultation", es: "Consulta"}) or plainly. Staff
// work in the clinic's English (or first) name, as the staff API does; the editor edits
// that one and keeps the other languages.

/** The name to show staff. */
export const plainName = (name) => (name && typeof name === 'object' ? name.en || Object.values(name)[0] : name);

/** `name` with its staff-facing text replaced by `text`. */
export const withPlainName = (name, text) => (name && typeof name === 'object' ? { ...name, en: text } : text);
