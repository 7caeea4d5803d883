// The app's addresses live in the hash (/staff#/day/2027-01-11), so the server serves one
// page for all of them and a reload or a shared link opens the same view.
//   #/day/DATE  #/week/DATE  #/new  #/search?q=  #/settings  #/keys  #/webhooks
//   #/calendars  #/audit  #/login?next=<the hash to return to>
// Day and week views take ?p=<practitioner id> (one column) and ?cancelled=1.

export const VIEWS = ['day', 'week', 'new', 'search', 'settings', 'keys', 'webhooks', 'calendars', 'audit', 'login'];

/** {name, date, params: URLSearchParams} of a hash; unknown hashes name no view. */
export function parseRoute(hash) {
  const text = String(hash || '').replace(/^#\/?/, '');
  const [path, search = ''] = text.split('?');
  const [name = '', date = ''] = path.split('/');
  return {
    name: VIEWS.includes(name) ? name : '',
    date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : '',
    params: new URLSearchParams(search),
  };
}

/** The hash of a route: formatRoute('day', {date, params: {p: 'dr-lee'}}). */
export function formatRoute(name, { date = '', params = {} } = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const tail = search.toString();
  return `#/${name}${date ? `/${date}` : ''}${tail ? `?${tail}` : ''}`;
}
