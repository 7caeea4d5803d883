#include "booking/video_meeting.h"

#include "tokens/tokens.h"

namespace slotbook::server {

void assign_video_meeting(BookingRecord& booking, const ClinicConfig& clinic,
                          std::string_view jitsi_url) {
  const VideoProvider video = clinic.calendars().video(booking.appointment_type);
  if (booking.meeting_provider == to_string(video)) return;
  booking.meeting_provider = std::string(to_string(video));
  booking.meeting_url.clear();
  if (video == VideoProvider::kJitsi) {
    std::string base(jitsi_url);
    while (!base.empty() && base.back() == '/') base.pop_back();
    booking.meeting_url = base + "/slotbook-" + random_code("0123456789abcdef", 32);
  }
}

}  // namespace slotbook::server
