// Zoom meetings for bookings through the Zoom REST API v2 (Meetings): create a scheduled
// meeting, move or rename it, delete it. The access token is a Server-to-Server OAuth
// account token (zoom_account_token in oauth.h).
//
// Every call takes the API's base URL (kZoomApiUrl, "/v2" included; tests point it at a
// fake), sends "Authorization: Bearer <access_token>", and fails as failure_of
// (provider_result.h) says; Zoom's error 124 (invalid or expired token) is kUnauthorized.
//
// Thread-safe once init_http_clients() has run; the parse_ and _body functions are pure.
#ifndef SLOTBOOK_SERVER_CALENDARS_ZOOM_MEETINGS_H_
#define SLOTBOOK_SERVER_CALENDARS_ZOOM_MEETINGS_H_

#include <chrono>
#include <string>
#include <string_view>

#include "calendars/provider_result.h"
#include "common/clock.h"

namespace slotbook::server::zoom {

inline constexpr std::string_view kZoomApiUrl = "https://api.zoom.us/v2";

struct ZoomMeeting {
  std::string id;        // the numeric meeting id as text
  std::string join_url;  // for the patient
  std::string password;
  // Starts the meeting as its host, without signing in: for the practitioner only, never
  // in a patient's message or page.
  std::string start_url;
};

// POST /users/{userId}/meetings with meeting_body(...): a scheduled meeting (type 2) at
// `start` for `duration`, shown in `time_zone` (IANA), with a waiting room and nobody let
// in before the host. `user_id` is the host's email or "me" (the account owner). 201 with
// the meeting.
ProviderResult<ZoomMeeting> create_meeting(std::string_view api_url, std::string_view access_token,
                                           std::string_view user_id, std::string_view topic,
                                           std::string_view agenda, UtcSeconds start,
                                           std::chrono::minutes duration,
                                           std::string_view time_zone,
                                           std::chrono::milliseconds timeout);

// PATCH /meetings/{meetingId} with topic, type 2, start_time, duration and timezone (left
// out when empty). true when updated (204); false when the meeting no longer exists (404 or
// Zoom's error 3001), so the caller can create a new one.
ProviderResult<bool> update_meeting(std::string_view api_url, std::string_view access_token,
                                    std::string_view meeting_id, std::string_view topic,
                                    UtcSeconds start, std::chrono::minutes duration,
                                    std::string_view time_zone, std::chrono::milliseconds timeout);

// DELETE /meetings/{meetingId}: true when deleted now (204), false when it was gone already
// (404 or error 3001), which is success too.
ProviderResult<bool> delete_meeting(std::string_view api_url, std::string_view access_token,
                                    std::string_view meeting_id, std::chrono::milliseconds timeout);

// The parsing and body building behind the calls above, without HTTP (for tests).

// A meeting object: id (a number, or text), join_url, password, start_url.
ProviderResult<ZoomMeeting> parse_meeting(std::string_view body);
// {topic, type: 2, start_time: "2027-01-12T14:00:00Z", duration (minutes), timezone, agenda,
// settings: {join_before_host: false, waiting_room: true}}; timezone and agenda left out
// when empty (Zoom then shows the host's zone).
std::string meeting_body(std::string_view topic, std::string_view agenda, UtcSeconds start,
                         std::chrono::minutes duration, std::string_view time_zone);

}  // namespace slotbook::server::zoom

#endif  // SLOTBOOK_SERVER_CALENDARS_ZOOM_MEETINGS_H_
