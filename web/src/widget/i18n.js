// Every string the widget shows, in one table (the manage page adds its own, addStrings),
// and the Intl formatters for dates and times. A language is chosen by its primary subtag;
// Intl gets the full tag so regional formats (es-MX, en-GB) still apply.

const STRINGS = {
  en: {
    firstDayOfWeek: 0,
    title: 'Book an appointment',
    loading: 'Loading available times…',
    loadFailed: 'We could not load the booking calendar. Check your connection and try again.',
    retry: 'Try again',
    appointmentType: 'Appointment type',
    changePolicy: 'You can cancel or reschedule online until {notice} before the appointment.',
    changePolicyAnytime: 'You can cancel or reschedule online until the appointment starts.',
    changePolicyPhone: 'After that, please call the clinic at {phone}.',
    oneDay: '1 day',
    days: '{n} days',
    oneHour: '1 hour',
    hours: '{n} hours',
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
    clinicTime: 'clinic time',
    continue: 'Continue',
    back: 'Back',
    yourDetails: 'Your details',
    with: 'with {name}',
    name: 'Full name',
    email: 'Email',
    phone: 'Phone',
    notes: 'Notes for the clinic (optional)',
    smsOptIn: 'Text me a confirmation and a reminder',
    smsRates: 'Standard message rates may apply.',
    phoneForSms: 'Enter a phone number to get text messages.',
    required: 'Please enter your {field}.',
    badEmail: 'Enter an email address like name@example.com.',
    badPhone: 'Enter a phone number with at least 7 digits.',
    tooLong: 'Please keep this under {n} characters.',
    fixErrors: 'Please correct the highlighted fields.',
    optional: 'optional',
    choose: 'Choose…',
    answerRequired: 'Please answer this question.',
    chooseRequired: 'Please choose an answer.',
    tickRequired: 'Please tick this box to go on.',
    badDate: 'Please enter the whole date.',
    futureDate: 'This date cannot be in the future.',
    holdMinutes: 'We hold this time for you for {n} minutes.',
    holdMinute: 'We hold this time for you for 1 more minute.',
    holdRanOut:
      "We could not hold this time any longer. You can still try to book it; if someone else has taken it, we'll show you the nearest times.",
    yourAnswers: 'Your answers',
    confirm: 'Confirm booking',
    confirming: 'Booking…',
    slotTaken: 'Sorry, that time was just taken by someone else.',
    slotRefused: 'Sorry, that time can no longer be booked.',
    nearest: 'The nearest free times:',
    noAlternatives: 'There are no free times close to it. Please choose another day.',
    chooseAnotherDay: 'Choose another day',
    networkError: 'We could not reach the clinic. Your details are kept; check your connection and try again.',
    rateLimited: 'Too many attempts. Please wait a minute and try again.',
    serverError: 'Something went wrong on our side. Your details are kept; please try again.',
    booked: 'You are booked',
    confirmationNumber: 'Confirmation number',
    when: 'When',
    appointment: 'Appointment',
    addToCalendar: 'Add to calendar',
    addToGoogle: 'Add to Google Calendar',
    addToOutlook: 'Add to Outlook',
    videoMeeting: 'Video meeting',
    joinVideo: 'Join the video meeting',
    videoLinkByEmail: 'The link will come by email.',
    manage: 'Reschedule or cancel',
    bookAnother: 'Book another appointment',
    emailNote: 'Keep this page or the manage link to change your booking.',
  },
  es: {
    firstDayOfWeek: 1,
    title: 'Reserve una cita',
    loading: 'Cargando horarios disponibles…',
    loadFailed: 'No pudimos cargar el calendario de citas. Compruebe su conexión e inténtelo de nuevo.',
    retry: 'Reintentar',
    appointmentType: 'Tipo de cita',
    changePolicy: 'Puede cancelar o cambiar la cita en línea hasta {notice} antes de la cita.',
    changePolicyAnytime: 'Puede cancelar o cambiar la cita en línea hasta que empiece.',
    changePolicyPhone: 'Después, llame a la clínica al {phone}.',
    oneDay: '1 día',
    days: '{n} días',
    oneHour: '1 hora',
    hours: '{n} horas',
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
    clinicTime: 'hora de la clínica',
    continue: 'Continuar',
    back: 'Volver',
    yourDetails: 'Sus datos',
    with: 'con {name}',
    name: 'Nombre completo',
    email: 'Correo electrónico',
    phone: 'Teléfono',
    notes: 'Notas para la clínica (opcional)',
    smsOptIn: 'Envíenme la confirmación y un recordatorio por SMS',
    smsRates: 'Pueden aplicarse las tarifas habituales de mensajes.',
    phoneForSms: 'Indique un teléfono para recibir los SMS.',
    required: 'Indique su {field}.',
    badEmail: 'Escriba un correo como nombre@ejemplo.com.',
    badPhone: 'Escriba un teléfono de al menos 7 dígitos.',
    tooLong: 'Use menos de {n} caracteres.',
    fixErrors: 'Corrija los campos marcados.',
    optional: 'opcional',
    choose: 'Elija…',
    answerRequired: 'Responda a esta pregunta.',
    chooseRequired: 'Elija una respuesta.',
    tickRequired: 'Marque esta casilla para continuar.',
    badDate: 'Escriba la fecha completa.',
    futureDate: 'La fecha no puede ser posterior a hoy.',
    holdMinutes: 'Le guardamos este horario durante {n} minutos.',
    holdMinute: 'Le guardamos este horario 1 minuto más.',
    holdRanOut:
      'No pudimos guardarle este horario más tiempo. Aún puede intentar reservarlo; si otra persona lo ha reservado, le mostraremos los horarios más cercanos.',
    yourAnswers: 'Sus respuestas',
    confirm: 'Confirmar cita',
    confirming: 'Reservando…',
    slotTaken: 'Lo sentimos: otra persona acaba de reservar ese horario.',
    slotRefused: 'Lo sentimos: ese horario ya no se puede reservar.',
    nearest: 'Los horarios libres más cercanos:',
    noAlternatives: 'No hay horarios libres cerca. Elija otro día.',
    chooseAnotherDay: 'Elegir otro día',
    networkError:
      'No pudimos contactar con la clínica. Sus datos se conservan; compruebe su conexión e inténtelo de nuevo.',
    rateLimited: 'Demasiados intentos. Espere un minuto e inténtelo de nuevo.',
    serverError: 'Algo falló de nuestro lado. Sus datos se conservan; inténtelo de nuevo.',
    booked: 'Su cita está reservada',
    confirmationNumber: 'Número de confirmación',
    when: 'Fecha y hora',
    appointment: 'Cita',
    addToCalendar: 'Añadir al calendario',
    addToGoogle: 'Añadir a Google Calendar',
    addToOutlook: 'Añadir a Outlook',
    videoMeeting: 'Videollamada',
    joinVideo: 'Unirse a la videollamada',
    videoLinkByEmail: 'El enlace le llegará por correo.',
    manage: 'Cambiar o cancelar',
    bookAnother: 'Reservar otra cita',
    emailNote: 'Guarde esta página o el enlace de gestión para cambiar su cita.',
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
    shortDate: (instant, zone = timeZone) => shortDateIn(zone).format(Date.parse(instant)),
    zoneName(zone) {
      const part = fmt({ timeZone: zone, timeZoneName: 'longGeneric' })
        .formatToParts(Date.now())
        .find((p) => p.type === 'timeZoneName');
      return part ? part.value : zone;
    },
  };
}
