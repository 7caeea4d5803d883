#include "calendars/zoom_meetings.h"

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "calendars/busy_span.h"
#include "notify/http_client.h"

namespace slotbook::server::zoom {
namespace {

using nlohmann::json;

constexpr std::string_view kProvider = "Zoom";
constexpr int kScheduledMeeting = 2;  // Zoom's meeting type: scheduled, one time
constexpr std::string_view kMeetingDoesNotExist = "3001";  // Zoom's error code

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string meeting_url(std::string_view api_url, std::string_view meeting_id) {
  return without_trailing_slash(api_url) + "/meetings/" + url_escape(meeting_id);
}

HttpRequest zoom_request(std::string method, std::string url, std::string_view access_token,
                         std::chrono::milliseconds timeout, std::string body = {}) {
  HttpRequest request = api_request(std::move(method), std::move(url), access_token, timeout);
  if (!body.empty()) {
    request.content_type = "application/json";
    request.body = std::move(body);
  }
  return request;
}

// Zoom says a meeting is gone with 404, and with error 3001 whatever the status.
bool meeting_is_gone(const ProviderFailure& failure) {
  return failure.status == 404 ||
         (failure.status >= 400 && failure.status < 500 && failure.code == kMeetingDoesNotExist);
}

}  // namespace

ProviderResult<ZoomMeeting> create_meeting(std::string_view api_url, std::string_view access_token,
                                           std::string_view user_id, std::string_view topic,
                                           std::string_view agenda, UtcSeconds start,
                                           std::chrono::minutes duration,
                                           std::string_view time_zone,
                                           std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider,
      zoom_request("POST",
                   without_trailing_slash(api_url) + "/users/" + url_escape(user_id) + "/meetings",
                   access_token, timeout, meeting_body(topic, agenda, start, duration, time_zone)),
      {access_token});
  if (!reply.ok()) return reply.error();
  return parse_meeting(reply->body);
}

ProviderResult<bool> update_meeting(std::string_view api_url, std::string_view access_token,
                                    std::string_view meeting_id, std::string_view topic,
                                    UtcSeconds start, std::chrono::minutes duration,
                                    std::string_view time_zone, std::chrono::milliseconds timeout) {
  const json changes = {
      {"topic", std::string(topic)},        {"type", kScheduledMeeting},
      {"start_time", rfc3339_utc(start)},   {"duration", duration.count()},
      {"timezone", std::string(time_zone)},
  };
  auto reply = send_to_provider(kProvider,
                                zoom_request("PATCH", meeting_url(api_url, meeting_id),
                                             access_token, timeout, dumped(changes)),
                                {access_token});
  if (reply.ok()) return true;
  if (meeting_is_gone(reply.error())) return false;
  return reply.error();
}

ProviderResult<bool> delete_meeting(std::string_view api_url, std::string_view access_token,
                                    std::string_view meeting_id,
                                    std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider, zoom_request("DELETE", meeting_url(api_url, meeting_id), access_token, timeout),
      {access_token});
  if (reply.ok()) return true;
  if (meeting_is_gone(reply.error())) return false;
  return reply.error();
}

ProviderResult<ZoomMeeting> parse_meeting(std::string_view body) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  ZoomMeeting meeting;
  // The id is a 64-bit number (over 2^53 for some), read as an integer, never as a double.
  if (const auto id = answer->find("id"); id != answer->end()) {
    if (id->is_number_unsigned()) {
      meeting.id = std::to_string(id->get<std::uint64_t>());
    } else if (id->is_number_integer()) {
      meeting.id = std::to_string(id->get<std::int64_t>());
    } else if (id->is_string()) {
      meeting.id = id->get<std::string>();
    }
  }
  meeting.join_url = string_field(*answer, "join_url");
  meeting.password = string_field(*answer, "password");
  meeting.start_url = string_field(*answer, "start_url");
  if (meeting.id.empty() || meeting.join_url.empty()) {
    return unexpected_answer(kProvider, "a meeting without id or join_url");
  }
  return meeting;
}

std::string meeting_body(std::string_view topic, std::string_view agenda, UtcSeconds start,
                         std::chrono::minutes duration, std::string_view time_zone) {
  json meeting = {
      {"topic", std::string(topic)},
      {"type", kScheduledMeeting},
      {"start_time", rfc3339_utc(start)},
      {"duration", duration.count()},
      {"timezone", std::string(time_zone)},
      {"settings", {{"join_before_host", false}, {"waiting_room", true}}},
  };
  if (!agenda.empty()) meeting["agenda"] = std::string(agenda);
  return dumped(meeting);
}

}  // namespace slotbook::server::zoom
