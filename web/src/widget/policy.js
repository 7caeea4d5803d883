// The clinic's change policy in words (docs/api.md "Clinic configuration",
// min_change_notice_minutes): how long before the start a patient may still cancel or move
// the booking online. Shown under the Confirm button and in the confirmation; the server
// enforces it.

/** "24 hours", "2 days", "90 minutes" for a notice of `minutes`, in `l10n`'s language. */
function noticeText(minutes, l10n) {
  if (minutes % 1440 === 0) return l10n.t(minutes === 1440 ? 'oneDay' : 'days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return l10n.t(minutes === 60 ? 'oneHour' : 'hours', { n: minutes / 60 });
  return l10n.t('minutes', { n: minutes });
}

/** The policy line for appointment type `typeId` of the clinic snapshot `data`. */
export function changePolicyText(data, typeId, l10n) {
  const type = (data.appointment_types || []).find((t) => t.id === typeId) || {};
  const own = type.min_change_notice_minutes;
  const minutes = Number.isInteger(own) ? own : (data.rules && data.rules.min_change_notice_minutes) || 0;
  const text =
    minutes > 0 ? l10n.t('changePolicy', { notice: noticeText(minutes, l10n) }) : l10n.t('changePolicyAnytime');
  const phone = data.clinic && data.clinic.phone;
  return minutes > 0 && phone ? `${text} ${l10n.t('changePolicyPhone', { phone })}` : text;
}
