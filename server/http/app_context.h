// What the routes share: the services and the server's settings. Routes are thin: they
// parse the request, call one service (BookingQueries to read, BookingService to change),
// and render the outcome in their protocol's dialect. They never open storage.
#ifndef SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_
#define SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_

#include <string>
#include <vector>

#include "booking/booking_queries.h"
#include "booking/booking_service.h"
#include "booking/widget_snapshot.h"
#include "calendars/calendar_service.h"
#include "common/clock.h"
#include "http/rate_limiter.h"
#include "notify/delivery_service.h"

namespace slotbook::server {

struct ServerSettings {
  std::vector<std::string> allowed_origins;  // CORS for the public endpoints; "*" = any
  std::string web_root;                      // static files; may not exist
  std::string api_key;                       // CALENDAR_API_KEY; empty: staff/partner 401
};

struct AppContext {
  const Clock& clock;
  BookingQueries& queries;
  BookingService& bookings;
  WidgetSnapshots& snapshots;
  DeliveryService& deliveries;
  CalendarService& calendars;
  RateLimiter& booking_rate_limiter;
  ServerSettings settings;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_APP_CONTEXT_H_
