// What a clinic's configuration says about calendars and video (docs/integrations.md):
// the ICS feeds each practitioner's busy times come from, the address and Zoom user a
// practitioner meets patients as, and which appointment types are video meetings. Checked
// when a configuration is stored; the fields are optional.
//
//   "practitioners": [{"id": "dr-a", ...,
//                      "ics_urls": ["webcal://...", "https://..."],    at most 10
//                      "email": "dr.a@clinic.example",                 optional
//                      "zoom_user": "dr.a@clinic.example"}],           optional, else email
//   "appointment_types": [{"id": "video-consult", ..., "video": "zoom"}]
//                 "jitsi" | "zoom" | "google_meet" | "teams"
//
// ICS URLs are secrets (anyone with one reads the calendar) and practitioners' addresses
// are not for the public: ClinicConfig::public_json leaves them out of the widget snapshot.
#ifndef SLOTBOOK_SERVER_BOOKING_CLINIC_CALENDARS_H_
#define SLOTBOOK_SERVER_BOOKING_CLINIC_CALENDARS_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/expected.h"

namespace slotbook::server {

inline constexpr int kMaxIcsUrlsPerPractitioner = 10;
inline constexpr std::size_t kMaxIcsUrlLength = 2048;

enum class VideoProvider { kNone, kJitsi, kZoom, kGoogleMeet, kTeams };
// "jitsi", "zoom", "google_meet", "teams"; "" for kNone.
std::string_view to_string(VideoProvider provider);
VideoProvider parse_video_provider(std::string_view text);  // kNone when unknown

struct PractitionerCalendars {
  std::vector<std::string> ics_urls;  // as configured; webcal:// is fetched as https://
  std::string email;
  std::string zoom_user;  // the Zoom user meetings are made for; empty: email, else "me"
};

struct ClinicCalendars {
  std::map<std::string, PractitionerCalendars, std::less<>> practitioners;  // by id
  std::map<std::string, VideoProvider, std::less<>> video_by_type;          // by type id

  const PractitionerCalendars* practitioner(std::string_view id) const;
  VideoProvider video(std::string_view type_id) const;  // kNone when not a video type
};

// Fails invalid("invalid_clinic_config", "<field>: <why>").
Expected<ClinicCalendars> parse_clinic_calendars(const nlohmann::json& config);

// The URL an ICS feed is fetched from: webcal:// read as https://, others as given.
std::string ics_fetch_url(std::string_view configured);

// The practitioner fields public_json leaves out.
inline constexpr const char* kPrivatePractitionerFields[] = {"ics_urls", "email", "zoom_user"};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_BOOKING_CLINIC_CALENDARS_H_
