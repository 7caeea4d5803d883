// Microsoft Graph v1.0 for a connected Microsoft 365 or Outlook.com account: who it is
// (/me), the events of its default calendar in a window (calendarView, which expands
// recurrences), and the events slotbook writes for bookings (/me/events), each call one or a
// few HTTPS requests with the account's OAuth access token (oauth.h).
//
// Every call takes the API's base URL (kGraphApiUrl; tests point it at a fake), sends
// "Authorization: Bearer <access_token>", and fails as failure_of (provider_result.h) says.
// Times go to Graph as UTC wall times with timeZone "UTC", and come back that way because
// every read asks for them with `Prefer: outlook.timezone="UTC"`.
//
// Thread-safe once init_http_clients() has run; the parse_ and _body functions are pure.
#ifndef SLOTBOOK_SERVER_CALENDARS_MICROSOFT_GRAPH_H_
#define SLOTBOOK_SERVER_CALENDARS_MICROSOFT_GRAPH_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/calendar_event.h"
#include "calendars/provider_result.h"
#include "common/clock.h"

namespace slotbook::server::msgraph {

inline constexpr std::string_view kGraphApiUrl = "https://graph.microsoft.com";

// Events slotbook creates carry transactionId kTransactionPrefix + booking id. Graph uses it
// to answer a retried POST with the event the first one made instead of a duplicate ("a
// custom identifier specified by a client app for the server to avoid redundant POST
// operations in case of client retries"), and calendar_view reads the booking id back from it.
inline constexpr std::string_view kTransactionPrefix = "slotbook-";

// The account's address: GET /v1.0/me, its "mail", else its "userPrincipalName" (accounts
// without a mailbox address, e.g. some personal ones, have only the latter).
ProviderResult<std::string> account_email(std::string_view api_url, std::string_view access_token,
                                          std::chrono::milliseconds timeout);

// The default calendar's events overlapping [from, to), recurrences expanded: GET
// /v1.0/me/calendarView?startDateTime&endDateTime&$top=100&$select=..., following
// @odata.nextLink for at most 10 pages; more (over 1,000 events) fails kRejected. A
// nextLink that does not start with api_url is not followed (it would carry the token to
// another host): kRetry. Cancelled events are included with busy false.
ProviderResult<std::vector<CalendarEvent>> calendar_view(std::string_view api_url,
                                                         std::string_view access_token,
                                                         UtcSeconds from, UtcSeconds to,
                                                         std::chrono::milliseconds timeout);

// Writes the booking's event: POST /v1.0/me/events with event_body(draft, with the
// transactionId). Returns the event Graph stored (hangout_link: the Teams join URL when
// add_online_meeting and the account can host Teams meetings). The draft's id is not used.
ProviderResult<CalendarEvent> create_event(std::string_view api_url, std::string_view access_token,
                                           const EventDraft& draft,
                                           std::chrono::milliseconds timeout);

// Rewrites an event from the draft: PATCH /v1.0/me/events/{id} with event_body(draft,
// without transactionId, which cannot change).
ProviderResult<CalendarEvent> update_event(std::string_view api_url, std::string_view access_token,
                                           std::string_view event_id, const EventDraft& draft,
                                           std::chrono::milliseconds timeout);

// DELETE /v1.0/me/events/{id}: true when deleted now (204), false when it was gone already
// (404), which is success too.
ProviderResult<bool> delete_event(std::string_view api_url, std::string_view access_token,
                                  std::string_view event_id, std::chrono::milliseconds timeout);

// The parsing and body building behind the calls above, without HTTP (for tests).

ProviderResult<std::string> parse_account_email(std::string_view body);
struct EventsPage {
  std::vector<CalendarEvent> events;
  std::string next_link;  // @odata.nextLink, absolute; empty on the last page
};
ProviderResult<EventsPage> parse_events_page(std::string_view body);
// One event resource (the answer to create and update).
ProviderResult<CalendarEvent> parse_event(std::string_view body);
// The JSON event: subject, body {contentType "text", content}, start and end {dateTime
// "2027-01-12T14:00:00", timeZone "UTC"}, location {displayName}; with_transaction_id:
// transactionId (when the draft has a booking id); with add_online_meeting: isOnlineMeeting
// true and onlineMeetingProvider "teamsForBusiness".
std::string event_body(const EventDraft& draft, bool with_transaction_id);

}  // namespace slotbook::server::msgraph

#endif  // SLOTBOOK_SERVER_CALENDARS_MICROSOFT_GRAPH_H_
