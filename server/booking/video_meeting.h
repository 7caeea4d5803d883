// Which video meeting a booking has (docs/integrations.md "Video meetings"). Decided when
// it is booked or its type changes, from the type's `video` (clinic_calendars.h):
// - jitsi: a room URL made at once, `jitsi_url` + "/slotbook-" + 128 random bits in hex,
//   so nobody can guess a patient's room; no API call, nothing to wait for;
// - zoom, google_meet, teams: only the provider is recorded here; the join link comes from
//   the provider through the outbox (calendars/) and is stored on the booking when it
//   arrives, so the patient's confirmation never waits for a provider.
#ifndef SLOTBOOK_SERVER_BOOKING_VIDEO_MEETING_H_
#define SLOTBOOK_SERVER_BOOKING_VIDEO_MEETING_H_

#include <string_view>

#include "booking/booking_record.h"
#include "booking/clinic_config.h"

namespace slotbook::server {

inline constexpr std::string_view kDefaultJitsiUrl = "https://meet.jit.si";

// Sets booking.meeting_provider and meeting_url for its appointment type; keeps both when
// the provider is the one it has already.
void assign_video_meeting(BookingRecord& booking, const ClinicConfig& clinic,
                          std::string_view jitsi_url);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_VIDEO_MEETING_H_
