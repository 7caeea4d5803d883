// What each role may see (the server enforces it with 403s; this only hides what would be
// refused). admin: everything; front_desk: bookings and patients; practitioner: their own
// schedule column and their own calendar connection.

const ADMIN_ONLY = new Set(['settings', 'keys', 'webhooks', 'audit']);
const PRACTITIONER_VIEWS = new Set(['day', 'week', 'calendars']);

export function canOpen(user, view) {
  if (!user) return view === 'login';
  if (view === 'login') return true;
  if (user.role === 'admin') return true;
  if (user.role === 'practitioner') return PRACTITIONER_VIEWS.has(view);
  return !ADMIN_ONLY.has(view);
}

/** A practitioner user changes nothing but their own calendar connection. */
export const canEditBookings = (user) => Boolean(user) && user.role !== 'practitioner';
