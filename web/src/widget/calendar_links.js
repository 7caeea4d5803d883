// "Add to Google Calendar" and "Add to Outlook": the providers' public event-template
// links, filled with the appointment, for patients whose calendar is on the web (the .ics
// file covers the rest). Nothing is sent anywhere until the patient follows one.

// 2027-01-11T16:00:00Z -> 20270111T160000Z (Google's `dates`).
const compact = (instant) =>
  new Date(instant)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
// Outlook takes ISO 8601 with its offset.
const iso = (instant) => new Date(instant).toISOString().replace(/\.\d{3}/, '');

/**
 * {google, outlook} links for `event` = {title, start, end, details, location} (start and
 * end as RFC 3339 instants).
 */
export function calendarLinks({ title, start, end, details = '', location = '' }) {
  const google = new URL('https://calendar.google.com/calendar/render');
  google.search = new URLSearchParams({
    action: 'TEMPLATE',
    text: title,
    dates: `${compact(start)}/${compact(end)}`,
    details,
    location,
  }).toString();
  const outlook = new URL('https://outlook.live.com/calendar/0/deeplink/compose');
  outlook.search = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: title,
    startdt: iso(start),
    enddt: iso(end),
    body: details,
    location,
  }).toString();
  return { google: google.href, outlook: outlook.href };
}

/** The event of a booking answer: its type, practitioner and clinic; the video link, if any. */
export function bookingEvent(booking, { typeName, practitionerName, clinicName, l10n }) {
  const join = booking.meeting && booking.meeting.join_url;
  return {
    title: `${typeName} ${l10n.t('with', { name: practitionerName })}${clinicName ? ` · ${clinicName}` : ''}`,
    start: booking.start,
    end: booking.end,
    details: [join, booking.confirmation_number && `${l10n.t('confirmationNumber')}: ${booking.confirmation_number}`]
      .filter(Boolean)
      .join('\n'),
    location: join || clinicName || '',
  };
}
