#include "calendars/microsoft_graph.h"

#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "calendars/busy_span.h"
#include "notify/http_client.h"

namespace slotbook::server::msgraph {
namespace {

using nlohmann::json;

constexpr std::string_view kProvider = "Microsoft Graph";
constexpr int kMaxPages = 10;
constexpr int kPageSize = 100;
// The fields calendar_view reads: less to send, and bodyPreview instead of the whole body.
constexpr std::string_view kSelect =
    "subject,bodyPreview,start,end,location,onlineMeeting,showAs,isCancelled,isAllDay,"
    "transactionId";
constexpr std::size_t kMaxPageBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxEventBytes = 1024 * 1024;

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool bool_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

const json* object_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

HttpRequest graph_request(std::string method, std::string url, std::string_view access_token,
                          std::chrono::milliseconds timeout, std::string body = {}) {
  HttpRequest request = api_request(std::move(method), std::move(url), access_token, timeout);
  // Every event time in the answer in UTC, whatever zone it was written in.
  request.headers.push_back("Prefer: outlook.timezone=\"UTC\"");
  if (!body.empty()) {
    request.content_type = "application/json";
    request.body = std::move(body);
  }
  request.max_body_bytes = kMaxEventBytes;
  return request;
}

// A dateTimeTimeZone: {"dateTime": "2027-01-12T14:00:00.0000000", "timeZone": "UTC"}.
std::optional<UtcSeconds> event_time(const json* time, bool is_end) {
  if (time == nullptr) return std::nullopt;
  const std::string date_time = string_field(*time, "dateTime");
  if (date_time.empty()) return std::nullopt;
  const std::string zone = string_field(*time, "timeZone");
  const char last = date_time.back();
  const bool has_offset = last == 'Z' || last == 'z' ||
                          (date_time.size() > 6 && (date_time[date_time.size() - 6] == '+' ||
                                                    date_time[date_time.size() - 6] == '-'));
  if (has_offset) return utc_from_rfc3339(date_time, is_end);
  // A wall time in another zone would need Windows zone names resolved: the Prefer header
  // is there so that it never comes to that.
  if (zone != "UTC") return std::nullopt;
  return utc_from_rfc3339(date_time + "Z", is_end);
}

std::optional<CalendarEvent> event_from_json(const json& item, std::string& why) {
  if (!item.is_object()) {
    why = "an event that is not an object";
    return std::nullopt;
  }
  CalendarEvent event;
  event.id = string_field(item, "id");
  if (event.id.empty()) {
    why = "an event without an id";
    return std::nullopt;
  }
  const auto start = event_time(object_field(item, "start"), false);
  const auto end = event_time(object_field(item, "end"), true);
  if (!start || !end || *end < *start) {
    why = "event \"" + event.id + "\" has no usable UTC start and end";
    return std::nullopt;
  }
  event.start = *start;
  event.end = *end;
  event.all_day = bool_field(item, "isAllDay");
  event.summary = string_field(item, "subject");
  event.description = string_field(item, "bodyPreview");
  if (const json* location = object_field(item, "location")) {
    event.location = string_field(*location, "displayName");
  }
  if (const json* meeting = object_field(item, "onlineMeeting")) {
    event.hangout_link = string_field(*meeting, "joinUrl");
  }
  const bool cancelled = bool_field(item, "isCancelled");
  const std::string show_as = string_field(item, "showAs");
  event.status = cancelled ? "cancelled" : show_as == "tentative" ? "tentative" : "confirmed";
  event.busy = !cancelled && show_as != "free" && show_as != "workingElsewhere";
  const std::string transaction = string_field(item, "transactionId");
  if (starts_with(transaction, kTransactionPrefix)) {
    event.slotbook_booking_id = transaction.substr(kTransactionPrefix.size());
  }
  return event;
}

json event_time_json(UtcSeconds at) {
  std::string text = rfc3339_utc(at);  // "2027-01-12T14:00:00Z"
  text.pop_back();                     // Graph wants the wall time, the zone apart
  return {{"dateTime", text}, {"timeZone", "UTC"}};
}

ProviderResult<CalendarEvent> event_call(std::string method, std::string url,
                                         std::string_view access_token, std::string body,
                                         std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider,
      graph_request(std::move(method), std::move(url), access_token, timeout, std::move(body)),
      {access_token});
  if (!reply.ok()) return reply.error();
  return parse_event(reply->body);
}

}  // namespace

ProviderResult<std::string> account_email(std::string_view api_url, std::string_view access_token,
                                          std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider,
      api_request("GET", without_trailing_slash(api_url) + "/v1.0/me", access_token, timeout),
      {access_token});
  if (!reply.ok()) return reply.error();
  return parse_account_email(reply->body);
}

ProviderResult<std::vector<CalendarEvent>> calendar_view(std::string_view api_url,
                                                         std::string_view access_token,
                                                         UtcSeconds from, UtcSeconds to,
                                                         std::chrono::milliseconds timeout) {
  const std::string base = without_trailing_slash(api_url);
  // Names as Graph spells them ($ unescaped), values escaped.
  std::string url = base + "/v1.0/me/calendarView?startDateTime=" + url_escape(rfc3339_utc(from)) +
                    "&endDateTime=" + url_escape(rfc3339_utc(to)) +
                    "&$top=" + std::to_string(kPageSize) + "&$select=" + std::string(kSelect);
  std::vector<CalendarEvent> events;
  for (int page = 0; page < kMaxPages; ++page) {
    HttpRequest request = graph_request("GET", url, access_token, timeout);
    request.max_body_bytes = kMaxPageBytes;
    auto reply = send_to_provider(kProvider, request, {access_token});
    if (!reply.ok()) return reply.error();
    auto parsed = parse_events_page(reply->body);
    if (!parsed.ok()) return parsed.error();
    for (CalendarEvent& event : parsed->events) events.push_back(std::move(event));
    if (parsed->next_link.empty()) return events;
    if (!starts_with(parsed->next_link, base + "/")) {
      return unexpected_answer(kProvider, "an @odata.nextLink to another host");
    }
    url = std::move(parsed->next_link);
  }
  return ProviderFailure{ProviderFailure::Kind::kRejected, 0,
                         "Microsoft Graph has more than " + std::to_string(kMaxPages * kPageSize) +
                             " events in the window.",
                         std::nullopt, ""};
}

ProviderResult<CalendarEvent> create_event(std::string_view api_url, std::string_view access_token,
                                           const EventDraft& draft,
                                           std::chrono::milliseconds timeout) {
  return event_call("POST", without_trailing_slash(api_url) + "/v1.0/me/events", access_token,
                    event_body(draft, /*with_transaction_id=*/true), timeout);
}

ProviderResult<CalendarEvent> update_event(std::string_view api_url, std::string_view access_token,
                                           std::string_view event_id, const EventDraft& draft,
                                           std::chrono::milliseconds timeout) {
  return event_call("PATCH",
                    without_trailing_slash(api_url) + "/v1.0/me/events/" + url_escape(event_id),
                    access_token, event_body(draft, /*with_transaction_id=*/false), timeout);
}

ProviderResult<bool> delete_event(std::string_view api_url, std::string_view access_token,
                                  std::string_view event_id, std::chrono::milliseconds timeout) {
  auto reply = send_to_provider(
      kProvider,
      api_request("DELETE",
                  without_trailing_slash(api_url) + "/v1.0/me/events/" + url_escape(event_id),
                  access_token, timeout),
      {access_token});
  if (reply.ok()) return true;
  if (reply.error().status == 404) return false;
  return reply.error();
}

ProviderResult<std::string> parse_account_email(std::string_view body) {
  auto me = json_object_of(kProvider, body);
  if (!me.ok()) return me.error();
  std::string email = string_field(*me, "mail");
  if (email.empty()) email = string_field(*me, "userPrincipalName");
  if (email.empty())
    return unexpected_answer(kProvider, "a user without mail or userPrincipalName");
  return email;
}

ProviderResult<EventsPage> parse_events_page(std::string_view body) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  EventsPage page;
  page.next_link = string_field(*answer, "@odata.nextLink");
  const auto items = answer->find("value");
  if (items == answer->end() || !items->is_array()) {
    return unexpected_answer(kProvider, "no list of events (value)");
  }
  std::string why;
  for (const json& item : *items) {
    auto event = event_from_json(item, why);
    if (!event) return unexpected_answer(kProvider, why);
    page.events.push_back(std::move(*event));
  }
  return page;
}

ProviderResult<CalendarEvent> parse_event(std::string_view body) {
  auto answer = json_object_of(kProvider, body);
  if (!answer.ok()) return answer.error();
  std::string why;
  auto event = event_from_json(*answer, why);
  if (!event) return unexpected_answer(kProvider, why);
  return *std::move(event);
}

std::string event_body(const EventDraft& draft, bool with_transaction_id) {
  json event = {
      {"subject", draft.summary},
      {"body", {{"contentType", "text"}, {"content", draft.description}}},
      {"start", event_time_json(draft.start)},
      {"end", event_time_json(draft.end)},
      {"location", {{"displayName", draft.location}}},
  };
  if (with_transaction_id && !draft.slotbook_booking_id.empty()) {
    event["transactionId"] = std::string(kTransactionPrefix) + draft.slotbook_booking_id;
  }
  if (draft.add_online_meeting) {
    event["isOnlineMeeting"] = true;
    event["onlineMeetingProvider"] = "teamsForBusiness";
  }
  return dumped(event);
}

}  // namespace slotbook::server::msgraph
