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

/**
 * Where an in-person visit is: "Clinic name, line 1, line 2, city, state postal_code" from
 * the snapshot's `clinic.address` (docs/api.md, "Clinic configuration"), the parts it has;
 * the name alone without an address.
 */
function clinicPlace(clinic) {
  const name = (clinic && clinic.name) || '';
  const address = clinic && clinic.address;
  if (!address || typeof address !== 'object') return name;
  const text = (value) => (typeof value === 'string' ? value.trim() : '');
  const lines = Array.isArray(address.line) ? address.line.map(text) : [];
  const region = [text(address.state), text(address.postal_code)].filter(Boolean).join(' ');
  return [name, ...lines, text(address.city), region].filter(Boolean).join(', ');
}

/**
 * The event of a booking answer: its type, practitioner and `clinic` (the snapshot's); the
 * location is the video link, else (a video meeting still being made) the clinic's name,
 * else, in person, the clinic's name and address.
 */
export function bookingEvent(booking, { typeName, practitionerName, clinic, l10n }) {
  const clinicName = (clinic && clinic.name) || '';
  const join = booking.meeting && booking.meeting.join_url;
  return {
    title: `${typeName} ${l10n.t('with', { name: practitionerName })}${clinicName ? ` · ${clinicName}` : ''}`,
    start: booking.start,
    end: booking.end,
    details: [join, booking.confirmation_number && `${l10n.t('confirmationNumber')}: ${booking.confirmation_number}`]
      .filter(Boolean)
      .join('\n'),
    location: join || (booking.meeting ? clinicName : clinicPlace(clinic)),
  };
}
