#include "calendars/google_calendar.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "notify/http_client.h"
#include "slotbook/time.h"
#include "tokens/tokens.h"

namespace slotbook::server::gcal {
namespace {

using nlohmann::json;

constexpr std::string_view kProvider = "Google Calendar";
constexpr std::string_view kIdPrefix = "slotbook";         // all of it base32hex
constexpr std::string_view kHashedIdPrefix = "slotbooks";  // "s" is not a hex digit
constexpr std::size_t kMaxEventIdLength = 1024;
constexpr int kMaxPages = 10;
constexpr int kPageSize = 250;
// An events page of 250 events with long descriptions is far over http_send's default.
constexpr std::size_t kMaxPageBytes = 8 * 1024 * 1024;
constexpr std::size_t kMaxEventBytes = 1024 * 1024;

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* object_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

std::string calendar_path(std::string_view api_url, std::string_view calendar_id) {
  return without_trailing_slash(api_url) + "/calendar/v3/calendars/" + url_escape(calendar_id);
}

std::string dumped(const json& value) {
  // replace: a draft with invalid UTF-8 becomes U+FFFD rather than an exception.
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpRequest json_request(std::string method, std::string url, std::string_view access_token,
                         std::chrono::milliseconds timeout, std::string body = {}) {
  HttpRequest request = api_request(std::move(method), std::move(url), access_token, timeout);
  if (!body.empty()) {
    request.content_type = "application/json";
    request.body = std::move(body);
  }
  request.max_body_bytes = kMaxEventBytes;
  return request;
}

// An event time: {"dateTime": RFC 3339} or, for all-day events, {"date": "YYYY-MM-DD"}.
struct EventTime {
  UtcSeconds at;
  bool all_day = false;
};

std::optional<EventTime> event_time(const json* time, bool is_end) {
  if (time == nullptr) return std::nullopt;
  if (const std::string date_time = string_field(*time, "dateTime"); !date_time.empty()) {
    const auto at = utc_from_rfc3339(date_time, /*round_up=*/is_end);
    if (!at) return std::nullopt;
    return EventTime{*at, false};
  }
  const auto day = parse_date(string_field(*time, "date"));
  if (!day) return std::nullopt;
  return EventTime{UtcSeconds(day->time_since_epoch()), true};
}

// nullopt with `why` empty: an event to leave out (a cancelled instance without times).
std::optional<CalendarEvent> event_from_json(const json& item, std::string& why) {
  why.clear();
  if (!item.is_object()) {
    why = "an event that is not an object";
    return std::nullopt;
  }
  CalendarEvent event;
  event.id = string_field(item, "id");
  event.status = string_field(item, "status");
  const auto start = event_time(object_field(item, "start"), false);
  const auto end = event_time(object_field(item, "end"), true);
  if (!start || !end || end->at < start->at) {
    if (event.status != "cancelled") why = "event \"" + event.id + "\" has no usable start and end";
    return std::nullopt;
  }
  if (event.id.empty()) {
    why = "an event without an id";
    return std::nullopt;
  }
  event.summary = string_field(item, "summary");
  event.description = string_field(item, "description");
  event.location = string_field(item, "location");
  event.hangout_link = string_field(item, "hangoutLink");
  event.start = start->at;
  event.end = end->at;
  event.all_day = start->all_day;
  event.busy = string_field(item, "transparency") != "transparent" && event.status != "cancelled";
  if (const json* properties = object_field(item, "extendedProperties")) {
    if (const json* own = object_field(*properties, "private")) {
      event.slotbook_booking_id = string_field(*own, "slotbook_booking_id");
    }
  }
  return event;
}

json event_time_json(UtcSeconds at, const std::string& time_zone) {
  json time = {{"dateTime", rfc3339_utc(at)}};
  if (!time_zone.empty()) time["timeZone"] = time_zone;
  return time;
}

bool is_base32hex(char c) { return (c >= 'a' && c <= 'v') || (c >= '0' && c <= '9'); }

}  // namespace

ProviderResult<std::vector<BusySpan>> free_busy(std::string_view api_url,
                                                std::string_view access_token,
                                                std::string_view calendar_id, UtcSeconds from,
                                                UtcSeconds to, std::chrono::milliseconds timeout) {
  const json query = {
      {"timeMin", rfc3339_utc(from)},
      {"timeMax", rfc3339_utc(to)},
      {"items", json::array({{{"id", std::string(calendar_id)}}})},
  };
  HttpRequest request =
      json_request("POST", without_trailing_slash(api_url) + "/calendar/v3/freeBusy", access_token,
                   timeout, dumped(query));
  request.max_body_bytes = kMaxPageBytes;
  auto reply = send_to_provider(kProvider, request, {access_token});
  if (!reply.ok()) return reply.error();
  return parse_free_busy(reply->body, calendar_id);
}

ProviderResult<std::vector<CalendarEvent>> list_events(std::string_view api_url,
                                                       std::string_view access_token,
                                                       std::string_view calendar_id,
                                                       UtcSeconds from, UtcSeconds to,
                                                       std::chrono::milliseconds timeout) {
  std::vector<CalendarEvent> events;
  std::string page_token;
  for (int page = 0; page < kMaxPages; ++page) {
    std::vector<std::pair<std::string, std::string>> query = {
        {"timeMin", rfc3339_utc(from)},
        {"timeMax", rfc3339_utc(to)},
        {"singleEvents", "true"},
        {"orderBy", "startTime"},
        {"maxResults", std::to_string(kPageSize)},
    };
    if (!page_token.empty()) query.emplace_back("pageToken", page_token);
    HttpRequest request =
        json_request("GET", calendar_path(api_url, calendar_id) + "/events?" + form_encode(query),
                     access_token, timeout);
    request.max_body_bytes = kMaxPageBytes;
    auto reply = send_to_provider(kProvider, request, {access_token});
    if (!reply.ok()) return reply.error();
    auto parsed = parse_events_page(reply->body);
    if (!parsed.ok()) return parsed.error();
    for (CalendarEvent& event : parsed->events) events.push_back(std::move(event));
    if (parsed->next_page_token.empty()) return events;
    page_token = std::move(parsed->next_page_token);
  }
  return ProviderFailure{ProviderFailure::Kind::kRejected, 0,
                         "Google Calendar has more than " + std::to_string(kMaxPages * kPageSize) +
                             " events in the window.",
                         std::nullopt, ""};
}

ProviderResult<CalendarEvent> insert_event(std::string_view api_url, std::string_view access_token,
                                           std::string_view calendar_id, const EventDraft& draft,
                                           std::chrono::milliseconds timeout) {
  auto reply =
      send_to_provider(kProvider,
                       json_request("POST",
                                    calendar_path(api_url, calendar_id) +
                                        "/events?conferenceDataVersion=1&sendUpdates=none",
                                    access_token, timeout, event_body(draft, /*with_id=*/true)),
                       {access_token});
  if (!reply.ok()) return reply.error();
  return parse_event(reply->body);
}

ProviderResult<CalendarEvent> patch_event(std::string_view api_url, std::string_view access_token,
                                          std::string_view calendar_id, std::string_view event_id,
                                          const EventDraft& draft,
                                          std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider,
      json_request("PATCH",
                   calendar_path(api_url, calendar_id) + "/events/" + url_escape(event_id) +
                       "?conferenceDataVersion=1&sendUpdates=none",
                   access_token, timeout, event_body(draft, /*with_id=*/false)),
      {access_token});
  if (!reply.ok()) return reply.error();
  return parse_event(reply->body);
}

ProviderResult<bool> delete_event(std::string_view api_url, std::string_view access_token,
                                  std::string_view calendar_id, std::string_view event_id,
                                  std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(kProvider,
                                json_request("DELETE",
                                             calendar_path(api_url, calendar_id) + "/events/" +
                                                 url_escape(event_id) + "?sendUpdates=none",
                                             access_token, timeout),
                                {access_token});
  if (reply.ok()) return true;
  if (reply.error().status == 404 || reply.error().status == 410) return false;
  return reply.error();
}

std::string google_event_id(std::string_view booking_id) {
  if (kIdPrefix.size() + 2 * booking_id.size() > kMaxEventIdLength) {
    return std::string(kHashedIdPrefix) + sha256_hex(booking_id);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(kIdPrefix);
  for (const char c : booking_id) {
    const auto byte = static_cast<unsigned char>(c);
    id += kHex[byte >> 4];
    id += kHex[byte & 15];
  }
  return id;
}

bool is_valid_event_id(std::string_view id) {
  if (id.size() < 5 || id.size() > kMaxEventIdLength) return false;
  for (const char c : id) {
    if (!is_base32hex(c)) return false;
  }
  return true;
}

ProviderResult<std::vector<BusySpan>> parse_free_busy(std::string_view body,
                                                      std::string_view calendar_id) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  const json* calendars = object_field(*answer, "calendars");
  const json* calendar =
      calendars == nullptr ? nullptr : object_field(*calendars, std::string(calendar_id).c_str());
  // One calendar was asked for, so a lone entry is its answer even when Google keys it
  // differently (the address for "primary", say).
  if (calendar == nullptr && calendars != nullptr && calendars->size() == 1 &&
      calendars->begin()->is_object()) {
    calendar = &*calendars->begin();
  }
  if (calendar == nullptr) return unexpected_answer(kProvider, "no free/busy for the calendar");
  if (const auto errors = calendar->find("errors");
      errors != calendar->end() && errors->is_array() && !errors->empty()) {
    const json& first = errors->front();
    const std::string reason = first.is_object() ? string_field(first, "reason") : "";
    return ProviderFailure{ProviderFailure::Kind::kRetry, 0,
                           "Google Calendar has no free/busy for the calendar: " +
                               (reason.empty() ? std::string("unknown error") : reason) + ".",
                           std::nullopt, reason};
  }
  std::vector<BusySpan> spans;
  const auto busy = calendar->find("busy");
  if (busy == calendar->end()) return spans;
  if (!busy->is_array()) return unexpected_answer(kProvider, "busy is not a list");
  for (const json& item : *busy) {
    const auto span = item.is_object() ? busy_span_from_rfc3339(string_field(item, "start"),
                                                                string_field(item, "end"))
                                       : std::nullopt;
    if (!span) return unexpected_answer(kProvider, "a busy span without a usable start and end");
    spans.push_back(*span);
  }
  return spans;
}

ProviderResult<EventsPage> parse_events_page(std::string_view body) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  EventsPage page;
  page.next_page_token = string_field(*answer, "nextPageToken");
  const auto items = answer->find("items");
  if (items == answer->end()) return page;
  if (!items->is_array()) return unexpected_answer(kProvider, "items is not a list");
  std::string why;
  for (const json& item : *items) {
    auto event = event_from_json(item, why);
    if (event) {
      page.events.push_back(std::move(*event));
    } else if (!why.empty()) {
      return unexpected_answer(kProvider, why);
    }
  }
  return page;
}

ProviderResult<CalendarEvent> parse_event(std::string_view body) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  std::string why;
  auto event = event_from_json(*answer, why);
  if (!event) return unexpected_answer(kProvider, why.empty() ? "a cancelled event" : why);
  return *std::move(event);
}

std::string event_body(const EventDraft& draft, bool with_id) {
  json event = {
      {"summary", draft.summary},
      {"description", draft.description},
      {"location", draft.location},
      {"start", event_time_json(draft.start, draft.time_zone)},
      {"end", event_time_json(draft.end, draft.time_zone)},
      {"extendedProperties", {{"private", {{"slotbook_booking_id", draft.slotbook_booking_id}}}}},
  };
  if (with_id && !draft.id.empty()) event["id"] = draft.id;
  if (draft.add_online_meeting) {
    const std::string& request_id = draft.conference_request_id.empty()
                                        ? draft.slotbook_booking_id
                                        : draft.conference_request_id;
    event["conferenceData"] = {
        {"createRequest",
         {{"requestId", request_id}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}};
  }
  return dumped(event);
}

}  // namespace slotbook::server::gcal
