// The two web-calendar links as buttons (the widget's confirmation, the manage page).

import { h } from './dom.js';

/** Links to add the appointment to Google Calendar and Outlook; `links` from calendarLinks. */
export function webCalendarButtons(links, l10n) {
  const link = (href, part, label) =>
    h('a', { class: 'button', part: `button ${part}`, href, target: '_blank', rel: 'noopener' }, label);
  return [
    link(links.google, 'google-calendar', l10n.t('addToGoogle')),
    link(links.outlook, 'outlook-calendar', l10n.t('addToOutlook')),
  ];
}
