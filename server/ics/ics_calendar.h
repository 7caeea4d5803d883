// RFC 5545 calendars written with libical: the file of one booking, and the feed of a
// practitioner's or a clinic's schedule. UID is stable per
// booking, SEQUENCE counts reschedules and cancellation, STATUS is CANCELLED once
// cancelled. No patient data beyond what the holder of the manage token already knows.
#ifndef SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_
#define SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"

namespace slotbook::server {

// Call once before serving (libical builds its UTC zone lazily, not thread-safely).
void init_ics();

// Who an emailed invitation (iTIP, RFC 5546) is from and to.
struct IcsInvite {
  std::string organizer_name;
  std::string organizer_email;  // the server's --mail-from address
  std::string attendee_name;
  std::string attendee_email;
};

// A VCALENDAR with one VEVENT for `booking`, CRLF line endings: METHOD:PUBLISH (the .ics
// endpoint) without `invite`; with it, the iTIP message a mail client offers to add:
// METHOD:REQUEST with ORGANIZER and ATTENDEE, or METHOD:CANCEL once the booking is
// cancelled. UID and SEQUENCE are the same in every form, so each one updates the last.
std::string booking_ics(const BookingRecord& booking, const ClinicConfig& clinic, UtcSeconds now,
                        const IcsInvite* invite = nullptr);

// A subscribable calendar (METHOD:PUBLISH, X-WR-CALNAME `name`) of `bookings`, each VEVENT
// with the UID and SEQUENCE of booking_ics, so apps that hold both see one event. The
// summary names the type and the patient (and the practitioner when the clinic has
// several): the feed's secret URL is for the clinic's own staff. Cancelled bookings stay
// as STATUS:CANCELLED, so subscribers remove them.
std::string schedule_ics(const std::vector<BookingRecord>& bookings, const ClinicConfig& clinic,
                         std::string_view name, UtcSeconds now);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_ICS_ICS_CALENDAR_H_
