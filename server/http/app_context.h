// What the routes share: the services and the server's settings. Routes are thin: they
// parse the request, call one service (BookingQueries to read, BookingService to change),
// and render the outcome in their protocol's dialect. They never open storage.
#ifndef SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_
#define SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_

#include <string>
#include <vector>

#include "accounts/account_service.h"
#include "booking/booking_queries.h"
#include "booking/booking_service.h"
#include "booking/hold_service.h"
#include "booking/widget_snapshot.h"
#include "calendars/calendar_service.h"
#include "common/clock.h"
#include "http/rate_limiter.h"
#include "notify/delivery_service.h"
#include "publish/publication.h"

namespace slotbook::server {

struct ServerSettings {
  std::vector<std::string> allowed_origins;  // CORS for the public endpoints; "*" = any
  std::string web_root;                      // static files; may not exist
  // The origin people reach this server at (--public-url, else http://HOST:PORT): the
  // staff app's cookies are Secure when it is https, and cookie writes must come from it
  // (or from the Host they were sent to).
  std::string public_url;
};

struct AppContext {
  const Clock& clock;
  BookingQueries& queries;
  BookingService& bookings;
  HoldService& holds;
  WidgetSnapshots& snapshots;
  SmartSchedulingPublication& publication;
  DeliveryService& deliveries;
  CalendarService& calendars;
  AccountService& accounts;
  RateLimiter& booking_rate_limiter;
  ServerSettings settings;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_
