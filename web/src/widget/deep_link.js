// What a SMART Scheduling Links deep link brings in the host page's URL (docs/widget.md,
// "Deep links"): `slot`, the handle of the time the patient chose elsewhere, and the
// aggregator's `source` and `booking-referral`, which the booking carries as `referral`.
// The handle is base64url without padding (RFC 4648, section 5) of the UTF-8 JSON array
// ["<clinic id>", "<appointment type id>", "<practitioner id or any>", "<start, RFC 3339 UTC>"],
// as the server writes it into its Slot files. A handle is only a wish: whether the time is
// free is the engine's answer, asked when the widget opens on it.

const HANDLE = /^[A-Za-z0-9_-]{1,1000}$/;
const START = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const MAX_REFERRAL = 200; // characters (code points), as the server keeps them
const CONTROL = /\p{Cc}/gu;

/**
 * The slot a handle names, `{clinicId, typeId, practitionerId, start}` (start as the server
 * writes instants, "2027-01-12T15:00:00Z"); null for anything that is not exactly that shape.
 */
export function decodeSlotHandle(handle) {
  if (typeof handle !== 'string' || !HANDLE.test(handle)) return null;
  try {
    const binary = atob(handle.replace(/-/g, '+').replace(/_/g, '/'));
    const fields = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    const [clinicId, typeId, practitionerId, start] = fields;
    // four strings, none empty, the start a real instant written the one way (no 2027-02-30,
    // no 24:00: an invalid date throws in toISOString)
    if (
      Array.isArray(fields) &&
      fields.length === 4 &&
      fields.every((f) => typeof f === 'string' && f) &&
      START.test(start) &&
      new Date(start).toISOString() === start.replace('Z', '.000Z')
    )
      return { clinicId, typeId, practitionerId, start };
  } catch {
    // not base64url, not UTF-8, not JSON, not an array
  }
  return null;
}

/** A referral parameter as kept: control characters dropped, trimmed, at most 200 characters. */
export function referralText(value) {
  const text = String(value ?? '')
    .replace(CONTROL, '')
    .trim();
  return Array.from(text).slice(0, MAX_REFERRAL).join('').trim();
}

/**
 * The deep link in a page's query string (`location.search`): `slot` (decodeSlotHandle, or
 * null) and `referral`, the booking's `{source, booking_referral}` with only the keys given
 * (null when neither is).
 */
export function readDeepLink(search) {
  const params = new URLSearchParams(search);
  const source = referralText(params.get('source'));
  const id = referralText(params.get('booking-referral'));
  const referral = source || id ? {} : null;
  if (source) referral.source = source;
  if (id) referral.booking_referral = id;
  return { slot: decodeSlotHandle(params.get('slot')), referral };
}
