// Google Calendar API v3 for a connected Google account: its busy times (freeBusy), its
// events in a window (events.list), and the events slotbook writes for bookings
// (events.insert, patch, delete), each call one or a few HTTPS requests with the account's
// OAuth access token (oauth.h).
//
// Every call takes the API's base URL (kGoogleApiUrl; tests point it at a fake), sends
// "Authorization: Bearer <access_token>", percent-encodes path segments (calendar ids are
// email addresses), and fails as failure_of (provider_result.h) says: kUnauthorized when
// the token has expired or was revoked, kRetry for rate limits and outages, kRejected for a
// request Google refuses for good. Writes pass sendUpdates=none: slotbook sends its own
// messages, Google must not mail the attendees as well.
//
// Thread-safe once init_http_clients() has run; the parse_ and _body functions are pure.
#ifndef SLOTBOOK_SERVER_CALENDARS_GOOGLE_CALENDAR_H_
#define SLOTBOOK_SERVER_CALENDARS_GOOGLE_CALENDAR_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/busy_span.h"
#include "calendars/calendar_event.h"
#include "calendars/provider_result.h"
#include "common/clock.h"

namespace slotbook::server::gcal {

inline constexpr std::string_view kGoogleApiUrl = "https://www.googleapis.com";

// The calendar's busy spans in [from, to): POST /calendar/v3/freeBusy with timeMin, timeMax
// (RFC 3339 UTC) and items [{id: calendar_id}]; the answer's calendars[calendar_id].busy.
// Google has already left out free (transparent) and cancelled events and expanded
// recurrences. An `errors` entry for the calendar (notFound, internalError, ...) is kRetry
// with its reason. REQUIRES: from <= to.
ProviderResult<std::vector<BusySpan>> free_busy(std::string_view api_url,
                                                std::string_view access_token,
                                                std::string_view calendar_id, UtcSeconds from,
                                                UtcSeconds to, std::chrono::milliseconds timeout);

// The events overlapping [from, to), recurring ones expanded to their instances, by start:
// GET /calendar/v3/calendars/{calendarId}/events?timeMin&timeMax&singleEvents=true
// &orderBy=startTime&maxResults=250, following nextPageToken for at most 10 pages. More than
// that (over 2,500 events) fails kRejected: narrow the window. Cancelled instances without
// times are left out.
ProviderResult<std::vector<CalendarEvent>> list_events(std::string_view api_url,
                                                       std::string_view access_token,
                                                       std::string_view calendar_id,
                                                       UtcSeconds from, UtcSeconds to,
                                                       std::chrono::milliseconds timeout);

// Writes the booking's event: POST /calendar/v3/calendars/{calendarId}/events
// ?conferenceDataVersion=1&sendUpdates=none with event_body(draft, with id). Returns the
// event as Google stored it (with hangout_link once Meet has made the meeting; it may be
// empty at first while the createRequest is pending).
// A 409 means the draft's id exists already: an earlier attempt got through (or the event
// was deleted: Google keeps deleted ids). It fails kRejected with status 409, and the
// caller patches that event instead (patch_event with the same id).
ProviderResult<CalendarEvent> insert_event(std::string_view api_url, std::string_view access_token,
                                           std::string_view calendar_id, const EventDraft& draft,
                                           std::chrono::milliseconds timeout);

// Rewrites an event's fields from the draft: PATCH
// /calendar/v3/calendars/{calendarId}/events/{eventId}?conferenceDataVersion=1
// &sendUpdates=none with event_body(draft, without id). Fields not in the body stay.
ProviderResult<CalendarEvent> patch_event(std::string_view api_url, std::string_view access_token,
                                          std::string_view calendar_id, std::string_view event_id,
                                          const EventDraft& draft,
                                          std::chrono::milliseconds timeout);

// DELETE /calendar/v3/calendars/{calendarId}/events/{eventId}?sendUpdates=none. true when
// deleted now (200, 204); false when it was gone already (404, 410), which is success too.
ProviderResult<bool> delete_event(std::string_view api_url, std::string_view access_token,
                                  std::string_view calendar_id, std::string_view event_id,
                                  std::chrono::milliseconds timeout);

// The client-specified event id for a booking: "slotbook" followed by the booking id's
// bytes in lower-case hex, all within base32hex (a-v, 0-9), so the same booking always
// gets the same id and distinct bookings distinct ids. A booking id over 508 bytes (more
// than the 1024 characters Google allows) becomes "slotbooks" + its SHA-256 in hex instead.
std::string google_event_id(std::string_view booking_id);
// Whether `id` is one Google accepts as a client-specified event id.
bool is_valid_event_id(std::string_view id);

// The parsing and body building behind the calls above, without HTTP (for tests).

// The busy spans of calendar_id in a freeBusy answer (or of the answer's only calendar,
// whatever its key: one was asked for).
ProviderResult<std::vector<BusySpan>> parse_free_busy(std::string_view body,
                                                      std::string_view calendar_id);
struct EventsPage {
  std::vector<CalendarEvent> events;
  std::string next_page_token;  // empty on the last page
};
ProviderResult<EventsPage> parse_events_page(std::string_view body);
// One Event resource (the answer to insert and patch).
ProviderResult<CalendarEvent> parse_event(std::string_view body);
// The JSON Event for insert (with_id: the draft's id, when not empty) or patch: summary,
// description, location, start and end {dateTime, timeZone}, extendedProperties.private
// .slotbook_booking_id, and with add_online_meeting conferenceData.createRequest
// {requestId, conferenceSolutionKey {type: "hangoutsMeet"}}.
std::string event_body(const EventDraft& draft, bool with_id);

}  // namespace slotbook::server::gcal

#endif  // SLOTBOOK_SERVER_CALENDARS_GOOGLE_CALENDAR_H_
