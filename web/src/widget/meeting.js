// How a video appointment's meeting is shown (the booking's `meeting`, docs/api.md): its
// join link, or, while the provider is still making it, that it will come by email.

import { h } from './dom.js';

/** The value of the "Video meeting" detail row; null for an appointment in person. */
export function meetingDetail(meeting, l10n) {
  if (!meeting) return null;
  if (!meeting.join_url) return l10n.t('videoLinkByEmail');
  return h(
    'a',
    { href: meeting.join_url, target: '_blank', rel: 'noopener', part: 'meeting-link' },
    l10n.t('joinVideo'),
  );
}
