// How a booking is shown: to the patient (docs/api.md "booking" object) and to staff
// (seed 000 "appointment" object, also the webhooks' `data.booking`). Local dates and
// times are in the clinic's zone.
#ifndef SLOTBOOK_SERVER_BOOKING_BOOKING_VIEW_H_
#define SLOTBOOK_SERVER_BOOKING_BOOKING_VIEW_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"

namespace slotbook::server {

using Json = nlohmann::ordered_json;  // views keep their documented key order

// The patient's view. `token` builds manage_url and ics_url; `show_token` adds
// manage_token (only in the answer that creates the booking); `show_patient` adds the
// patient's details and notes (manage view).
Json patient_booking_json(const BookingRecord& booking, const ClinicConfig& clinic,
                          std::string_view token, bool show_token, bool show_patient);

// The manage page's view: the patient's view with their details, plus `can_change` (the
// clinic's ChangePolicy at `now`), `change_deadline` and `clinic_phone`, so the page
// offers only what the server will accept and says whom to call after the deadline.
Json manage_booking_json(const BookingRecord& booking, const ClinicConfig& clinic,
                         std::string_view token, UtcSeconds now);

// The staff view (seed 000 appointment fields plus ids and UTC instants).
Json staff_appointment_json(const BookingRecord& booking, const ClinicConfig& clinic);

// Who referred the booking through a published deep link (docs/smart-scheduling-links.md):
// {"source": ..., "booking_referral": ...}, each null when not given; null when neither was.
Json referral_json(const BookingRecord& booking);

// A video appointment's meeting: {"provider": "zoom", "join_url": "https://..." or null
// until the provider made it}; null for an appointment in person.
Json meeting_json(const BookingRecord& booking);

// The appointment type's display name (in `language` when the clinic named it per
// language); "Appointment" for a partner booking of a bare duration.
std::string type_display_name(const BookingRecord& booking, const ClinicConfig& clinic,
                              std::string_view language = {});
// The clinic's name; its id when unnamed.
std::string clinic_display_name(const ClinicConfig& clinic);
Json optional_instant_json(const std::optional<UtcSeconds>& time);         // RFC 3339 or null
std::string local_date_text(const ClinicConfig& clinic, UtcSeconds time);  // YYYY-MM-DD
std::string local_time_text(const ClinicConfig& clinic, UtcSeconds time);  // HH:MM
std::string instant_text(UtcSeconds time);                                 // RFC 3339 UTC
std::int64_t duration_minutes(const BookingRecord& booking);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_BOOKING_VIEW_H_
