// Text a clinic wrote: a string, or one per language ({en, es, ...}). Names of appointment
// types and practitioners, and the labels of the clinic's questions and their options, are
// shown in the widget's language through these two functions.

/** `value` in `l10n`'s language: the full tag (es-MX), its base language (es), English, any. */
export function localText(value, l10n) {
  if (!value || typeof value !== 'object') return value ? String(value) : '';
  return value[l10n.locale] || value[l10n.language] || value.en || Object.values(value)[0] || '';
}

/** An appointment type's or practitioner's name: its `names` in the language, else `name`, else the id. */
export function nameOf(item, l10n) {
  const names = item.names || {};
  return names[l10n.locale] || names[l10n.language] || item.name || item.id;
}
