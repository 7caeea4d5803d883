// The partner protocol of seed 004 ("Calendar API Integration Guide"), exactly: an agent
// is a practitioner; the API key comes in X-API-Key (or the body's api_key for POST);
// errors are {"detail": "..."} and validation errors {"detail": [{"loc", "msg", "type"}]}
// with the guide's status codes and messages.
//
//   GET  /api/calendar/free-slots/{agent_id}?start_date&end_date[&duration_minutes]
//   POST /api/calendar/external-booking
//
// Free slots are back-to-back slots of duration_minutes within the agent's hours; an
// external booking may start at any minute inside working hours that is free and
// respects notice and horizon. Both ask the engine with an ad hoc appointment type.
// Dates and times are wall-clock in the clinic's zone (returned as "timezone").
#ifndef SLOTBOOK_SERVER_HTTP_PARTNER_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_PARTNER_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_partner_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_PARTNER_ROUTES_H_
