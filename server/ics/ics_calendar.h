// The RFC 5545 calendar file of one booking, written with libical. UID is stable per
// booking, SEQUENCE counts reschedules and cancellation, STATUS is CANCELLED once
// cancelled. No patient data beyond what the holder of the manage token already knows.
#ifndef SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_
#define SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_

#include <cstdint>
#include <string>

#include "booking/clinic_config.h"
#include "booking/booking_record.h"

namespace slotbook::server {

// Call once before serving (libical builds its UTC zone lazily, not thread-safely).
void init_ics();

// A VCALENDAR (METHOD:PUBLISH) with one VEVENT for `booking`, CRLF line endings.
std::string booking_ics(const BookingRecord& booking, const ClinicConfig& clinic, UtcSeconds now);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_
