// A stored booking as plain data, and a span of UTC time. No behaviour; times are UTC
// seconds. The services change bookings; storage keeps them; views render them.
#ifndef SLOTBOOK_SERVER_BOOKING_BOOKING_RECORD_H_
#define SLOTBOOK_SERVER_BOOKING_BOOKING_RECORD_H_

#include <optional>
#include <string>

#include "booking/booking_status.h"
#include "common/clock.h"

namespace slotbook::server {

// [from, to) on the UTC time line.
struct TimeWindow {
  UtcSeconds from{};
  UtcSeconds to{};
};

struct BookingRecord {
  std::string id;
  std::string clinic_id;
  std::string practitioner_id;
  std::string appointment_type;  // empty: a partner booking of a bare duration
  UtcSeconds start_utc{};
  UtcSeconds end_utc{};
  // The time the booking keeps from others: [start - buffer_before, end + buffer_after)
  // with its type's buffers when it was made or last moved, narrowed (never widened) when
  // the clinic's buffers shrink, so it is always within what the engine sees as busy.
  // PostgreSQL refuses two overlapping occupancies of one practitioner (defence in depth).
  TimeWindow occupancy;
  BookingStatus status = BookingStatus::kConfirmed;
  std::string confirmation_number;
  std::string patient_name;
  std::string patient_email;
  std::string patient_phone;
  std::string patient_id;  // the clinic's own identifier (seed 000), may be empty
  // The language the patient booked in (a BCP 47 tag such as "es" or "es-MX", from the
  // widget); empty when the booking came without one (partner, staff).
  std::string patient_language;
  // Whether the patient agreed to text messages about this booking (the widget's
  // checkbox, unchecked unless ticked). patient_phone is E.164 when this is set.
  bool sms_opt_in = false;
  std::string notes;
  std::string source;  // "widget", "partner" or "staff"
  std::string external_reference_id;
  std::string manage_token_hash;  // SHA-256 hex; empty: no manage token issued
  // The manage token sealed with the server key (base64), so messages sent later
  // (reminders) can carry the patient's manage link; only the server can open it.
  std::string manage_token_sealed;
  // The video meeting's join link ("" until there is one) and who made it: "jitsi",
  // "zoom", "google_meet", "teams" (the appointment type's `video` when booked).
  std::string meeting_url;
  std::string meeting_provider;
  // The patient's answers to the clinic's intake questions as asked at booking time
  // (booking/intake_questions.h: a JSON array, "" when there were none). Patient data.
  std::string answers_json;
  // Who sent the patient, when they came through a published deep link
  // (docs/smart-scheduling-links.md): the aggregator's `source` and its `booking-referral`
  // handle for this referral, as given; "" when absent. Not patient data.
  std::string referral_source;
  std::string booking_referral;
  int sequence = 0;  // RFC 5545 SEQUENCE: +1 per reschedule or cancel
  std::string cancel_reason;
  std::optional<UtcSeconds> cancelled_at;
  std::optional<UtcSeconds> reminder_sent_at;
  UtcSeconds created_at{};
  UtcSeconds updated_at{};
};

// Whether the patient may still cancel or move the booking at `now`: it is active
// (booking_status.h) and has not started. Staff are not bound by the start.
inline bool patient_may_change(const BookingRecord& booking, UtcSeconds now) {
  return is_active(booking.status) && now < booking.start_utc;
}

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_BOOKING_RECORD_H_
