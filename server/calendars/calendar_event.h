// An event in a connected calendar as the Google Calendar and Microsoft Graph clients read
// it (CalendarEvent), and the event slotbook writes there for a booking (EventDraft). One
// shape for both providers, so the calendar sync does not care which one it talks to.
#ifndef SLOTBOOK_SERVER_CALENDARS_CALENDAR_EVENT_H_
#define SLOTBOOK_SERVER_CALENDARS_CALENDAR_EVENT_H_

#include <string>

#include "common/clock.h"

namespace slotbook::server {

struct CalendarEvent {
  std::string id;  // the provider's event id
  std::string summary, description, location;
  // The video link: Google's hangoutLink (Meet), Graph's onlineMeeting.joinUrl (Teams).
  std::string hangout_link;
  // "confirmed", "tentative" or "cancelled" (Google's words; Graph's isCancelled and showAs
  // "tentative" are mapped onto them).
  std::string status;
  // [start, end). An all-day event runs from UTC midnight to UTC midnight of its dates (as
  // written, the end exclusive), with all_day set: the caller re-reads it in the clinic's zone.
  UtcSeconds start, end;
  bool all_day = false;
  // Whether it occupies its owner's time. Google: transparency is not "transparent" and
  // status is not "cancelled". Graph: not isCancelled and showAs is not "free" or
  // "workingElsewhere".
  bool busy = true;
  // The booking this event was written for, when slotbook wrote it: Google's
  // extendedProperties.private.slotbook_booking_id, Graph's transactionId after "slotbook-".
  std::string slotbook_booking_id;
};

struct EventDraft {
  // Google only: the client-specified event id (base32hex a-v and 0-9, 5 to 1024
  // characters), gcal::google_event_id(booking id), so a retried insert collides instead
  // of creating a second event. Empty: Google makes one up.
  std::string id;
  std::string summary, description, location;
  std::string time_zone;  // IANA, e.g. "America/Chicago"; Google shows the event in it
  std::string slotbook_booking_id;
  UtcSeconds start, end;
  // Ask for a video meeting with the event: Google Meet (conferenceData.createRequest) or
  // Teams (isOnlineMeeting with teamsForBusiness). An update with false leaves an existing
  // meeting alone.
  bool add_online_meeting = false;
  // Google only: the createRequest's requestId. Google ignores a second request with the
  // same id, so a retried insert or patch does not make a second Meet. Empty: the booking id.
  std::string conference_request_id;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CALENDAR_EVENT_H_
