// A clinic's open times as SMART Scheduling Links (HL7 FHIR IG, STU 1; docs/
// smart-scheduling-links.md): the Location, Schedule and Slot NDJSON files of its bulk
// publication. Pure: what is free comes from the engine (list_slots on the clinic's
// occupied snapshot, exactly as the widget lists it), the grid from the engine asked about
// the same clinic with nothing booked; `now` is an input. No patient data: a busy Slot says
// only that its time is taken.
//
// Each free Slot's booking-deep-link is the clinic's booking_url with `slot=<handle>`: the
// opaque handle is unpadded base64url of the JSON array [clinic_id, appointment_type,
// practitioner_id or "any", start as RFC 3339 UTC]. The widget reads it (docs/widget.md,
// "Deep links") and the engine still decides.
//
// Ids use only letters, digits and "." (what both the STU 1 text and FHIR's id type
// allow), at most 64 characters, and are stable: the same clinic, type, practitioner and
// start always get the same id.
#ifndef SLOTBOOK_SERVER_PUBLISH_SMART_SCHEDULING_H_
#define SLOTBOOK_SERVER_PUBLISH_SMART_SCHEDULING_H_

#include <cstddef>
#include <string>

#include "booking/clinic_config.h"
#include "slotbook/snapshot.h"
#include "slotbook/time.h"

namespace slotbook::server {

// The booking-deep-link extension's URLs: the HL7 implementation guide's (STU 1), and the
// SMART registry's from the specification it grew out of, which aggregators built on that
// one look for. A free Slot carries both, with the same link.
inline constexpr const char* kBookingDeepLinkExtension =
    "http://hl7.org/fhir/uv/smart-scheduling-links/StructureDefinition/booking-deep-link";
inline constexpr const char* kRegistryBookingDeepLinkExtension =
    "http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link";
// Slots are published for at most this many days ahead, whatever the horizon.
inline constexpr int kMaxPublishedDays = 366;

struct SmartSchedulingFiles {
  std::string locations;  // NDJSON: one Location
  std::string schedules;  // one Schedule per appointment type (+ per practitioner)
  std::string slots;      // every grid start from now to the horizon, free or busy
  std::size_t slot_count = 0;
};

// The files of `clinic` (which publishes: ClinicConfig::publishing()) with `occupied`
// (engine_snapshot with the clinic's occupancy over the published days) at `now`. The
// Location's identifier is {system: `identifier_system`, value: the clinic's id}; the
// server passes the URL of its clinics' directory, "<public URL>/fhir/clinics".
SmartSchedulingFiles smart_scheduling_files(const ClinicConfig& clinic, const Snapshot& occupied,
                                            Instant now, const std::string& identifier_system);

std::string location_id(const std::string& clinic_id);
// `practitioner_id` "" for the appointment type's schedule across practitioners.
std::string schedule_id(const std::string& clinic_id, const std::string& type_id,
                        const std::string& practitioner_id);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_PUBLISH_SMART_SCHEDULING_H_
