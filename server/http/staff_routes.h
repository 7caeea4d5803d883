// Staff endpoints (API key; seeds 000, 001, 002, 003), under /api/calendar/:
//
//   POST   check-availability            {date, appointment_type? | duration_minutes?,
//   practitioner_id?} POST   check-availability-range      {start_date, end_date, ...same} GET
//   appointments?days&limit&skip&status&practitioner_id   upcoming, with total POST   appointments
//   staff booking (engine-validated like any other) GET    appointments/{id} PATCH
//   appointments/{id}             {date?, time?, practitioner_id?, appointment_type?, notes?,
//   status?} DELETE appointments/{id}             {reason?}: cancel, frees the slot PATCH
//   appointments/{id}/remind      mark reminder sent PATCH  appointments/{id}/status      {status}:
//   pending->confirmed->completed,
//                                        pending|confirmed->cancelled, confirmed->no_show
//   GET    events?start_date&end_date    raw events
//   GET    clinic, PUT clinic            read / replace the configuration (engine-checked)
//
// Every endpoint takes clinic_id (query or body); it may be left out when the server
// holds one clinic. Successes have "success": true (seed 000 shapes); errors are
// {"success": false, "error": {"code", "message"}}.
#ifndef SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_

#include <httplib.h>

#include "http/app_context.h"

namespace slotbook::server {

void register_staff_routes(httplib::Server& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_
