// The slot engine in the staff app: the same WebAssembly build and files as the widget
// (public, under /widget/), and the snapshots it is asked with. The app never decides
// itself whether a time is free; it builds the snapshot that describes the question:
// - reschedule: the clinic's snapshot without the booking's own occupancy, so its own
//   time shows free;
// - settings preview: the edited configuration with the live snapshot's zone rules and busy.

import { configureAssets, sharedEngine } from '../widget/assets.js';
import { Availability } from '../widget/availability.js';
import { plainName } from './names.js';

// The staff bundle is served from /staff/assets/, the engine from /widget/ (configureAssets
// without a script falls back to /widget/ of this origin).
configureAssets(null);

export const loadEngine = sharedEngine;

/** `{text, data}` as the widget's Availability takes it. */
export const snapshotOf = (data) => ({ text: JSON.stringify(data), data });

/** The live snapshot minus one occupancy (a booking being moved). */
export function withoutOccupancy(snapshot, practitionerId, start, end) {
  const same = (t, u) => Date.parse(t) === Date.parse(u);
  let removed = false;
  const busy = (snapshot.data.busy || []).filter((b) => {
    if (!removed && b.practitioner_id === practitionerId && same(b.start, start) && same(b.end, end)) {
      removed = true;
      return false;
    }
    return true;
  });
  return snapshotOf({ ...snapshot.data, busy });
}

// The engine reads names as strings (names.js).
const withPlainNames = (list) => (list || []).map((item) => ({ ...item, name: plainName(item.name) }));

/** The edited clinic configuration as a snapshot: its own rules, today's zone rules and busy. */
export function previewSnapshot(config, liveSnapshot) {
  const { reminders, notifications, ...rest } = config; // not the engine's
  return snapshotOf({
    ...rest,
    appointment_types: withPlainNames(rest.appointment_types),
    practitioners: withPlainNames(rest.practitioners),
    zone_rules: liveSnapshot.data.zone_rules,
    busy: liveSnapshot.data.busy || [],
  });
}

/** Free times in clinic dates (the staff work in the clinic's zone). */
export const clinicAvailability = (engine, snapshot) =>
  new Availability(engine, snapshot, snapshot.data.clinic.timezone);
