// Every string the widget's first step shows, in one table (the later steps add theirs,
// details_strings.js, and the manage page its own, with addStrings), and the Intl
// formatters for dates and times. A language is chosen by its primary subtag;
// Intl gets the full tag so regional formats (es-MX, en-GB) still apply.

const STRINGS = {
  en: {
    firstDayOfWeek: 0,
    title: 'Book an appointment',
    loading: 'Loading available times…',
    loadFailed: 'We could not load the booking calendar. Check your connection and try again.',
    retry: 'Try again',
    appointmentType: 'Appointment type',
    minutes: '{n} min',
    practitioner: 'Practitioner',
    anyPractitioner: 'Any available practitioner',
    chooseDay: 'Choose a day',
    previousMonth: 'Previous month',
    nextMonth: 'Next month',
    available: 'available',
    unavailable: 'no times',
    timesFor: 'Times on {date}',
    pickDayFirst: 'Pick a highlighted day to see its times.',
    noTimesThisMonth: 'No free times this month. Try the next month.',
    noTimesAtAll: 'No free times in the booking window. Please contact the clinic.',
    timesAnnounced: '{n} times available on {date}.',
    monthAnnounced: '{month}: {n} days with free times.',
    zoneNote: 'Times are in your time zone ({zone}). The clinic is in {clinicZone}.',
    zoneShort: 'your time',
    continue: 'Continue',
    stepFailed: 'We could not load the next step. Check your connection and try again.',
  },
  es: {
    firstDayOfWeek: 1,
    title: 'Reserve una cita',
    loading: 'Cargando horarios disponibles…',
    loadFailed: 'No pudimos cargar el calendario de citas. Compruebe su conexión e inténtelo de nuevo.',
    retry: 'Reintentar',
    appointmentType: 'Tipo de cita',
    minutes: '{n} min',
    practitioner: 'Profesional',
    anyPractitioner: 'Cualquier profesional disponible',
    chooseDay: 'Elija un día',
    previousMonth: 'Mes anterior',
    nextMonth: 'Mes siguiente',
    available: 'disponible',
    unavailable: 'sin horarios',
    timesFor: 'Horarios del {date}',
    pickDayFirst: 'Elija un día resaltado para ver sus horarios.',
    noTimesThisMonth: 'No hay horarios libres este mes. Pruebe el mes siguiente.',
    noTimesAtAll: 'No hay horarios libres en el periodo de reserva. Contacte con la clínica.',
    timesAnnounced: '{n} horarios disponibles el {date}.',
    monthAnnounced: '{month}: {n} días con horarios libres.',
    zoneNote: 'Los horarios están en su zona horaria ({zone}). La clínica está en {clinicZone}.',
    zoneShort: 'su hora',
    continue: 'Continuar',
    stepFailed: 'No pudimos cargar el siguiente paso. Compruebe su conexión e inténtelo de nuevo.',
  },
};

/**
 * Adds strings of another page to the table ({en: {...}, es: {...}}), so the widget's
 * script does not carry them: the manage page's (manage/strings.js).
 */
export function addStrings(more) {
  for (const [language, table] of Object.entries(more)) Object.assign(STRINGS[language], table);
}

const upperFirst = (text) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** The page's language: the element's `lang`, the nearest `lang` above it, the browser's. */
export function pageLanguage(element) {
  const tagged = element.closest('[lang]');
  return (tagged && tagged.getAttribute('lang')) || navigator.language || 'en';
}

/** Strings and formatters for `languageTag`; the patient's zone is `timeZone`. */
export function localizer(languageTag, timeZone) {
  const primary = String(languageTag).toLowerCase().split('-')[0];
  const language = STRINGS[primary] ? primary : 'en';
  const table = STRINGS[language];
  let locale = languageTag;
  try {
    Intl.getCanonicalLocales(locale);
  } catch {
    locale = language;
  }
  const fmt = (options) => new Intl.DateTimeFormat(locale, options);
  const inUtc = { timeZone: 'UTC' }; // plain dates are UTC midnights
  const monthTitle = fmt({ ...inUtc, month: 'long', year: 'numeric' });
  const longDate = fmt({ ...inUtc, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const shortWeekday = fmt({ ...inUtc, weekday: 'short' });
  const longWeekday = fmt({ ...inUtc, weekday: 'long' });
  const shortDateIn = (zone) => fmt({ timeZone: zone, weekday: 'short', month: 'short', day: 'numeric' });
  const timeFormats = new Map();
  const timeIn = (zone) => {
    if (!timeFormats.has(zone)) timeFormats.set(zone, fmt({ timeZone: zone, hour: 'numeric', minute: '2-digit' }));
    return timeFormats.get(zone);
  };
  const dateTimeIn = (zone) =>
    fmt({
      timeZone: zone,
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    });

  const t = (key, vars = {}) =>
    String(table[key] ?? STRINGS.en[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');

  return {
    language,
    locale,
    timeZone,
    t,
    firstDayOfWeek: table.firstDayOfWeek,
    // "noviembre de 2026" -> "Noviembre de 2026": only the first letter, never "De"
    monthTitle: (date) => upperFirst(monthTitle.format(Date.parse(date))),
    longDate: (date) => longDate.format(Date.parse(date)),
    weekdayShort: (date) => shortWeekday.format(Date.parse(date)),
    weekdayLong: (date) => longWeekday.format(Date.parse(date)),
    time: (instant, zone = timeZone) => timeIn(zone).format(Date.parse(instant)),
    dateTime: (instant, zone = timeZone) => upperFirst(dateTimeIn(zone).format(Date.parse(instant))),
    // within a sentence ("hasta el martes, 12 de enero..."): as the locale writes it
    dateTimeInSentence: (instant, zone = timeZone) => dateTimeIn(zone).format(Date.parse(instant)),
    shortDate: (instant, zone = timeZone) => shortDateIn(zone).format(Date.parse(instant)),
    zoneName(zone) {
      const part = fmt({ timeZone: zone, timeZoneName: 'longGeneric' })
        .formatToParts(Date.now())
        .find((p) => p.type === 'timeZoneName');
      return part ? part.value : zone;
    },
  };
}
