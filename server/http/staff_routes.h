// Staff endpoints under /api/calendar/ (API key; seeds 000-003; docs/api.md "Staff API").
//
//   POST   check-availability              {date, appointment_type? | duration_minutes?,
//                                            practitioner_id?}
//   POST   check-availability-range        {start_date, end_date, ...the same}
//   GET    appointments                    ?days&limit&skip&status&practitioner_id: upcoming
//   POST   appointments                    a staff booking, engine-validated like any other
//   GET    appointments/{id}
//   PATCH  appointments/{id}               {date?, time?, practitioner_id?, appointment_type?,
//                                            notes?, status?}: all applied or none
//   DELETE appointments/{id}               {reason?}: cancel, frees the slot
//   PATCH  appointments/{id}/remind        mark the reminder sent
//   PATCH  appointments/{id}/status        {status}: pending -> confirmed | cancelled,
//                                            confirmed -> completed | cancelled | no_show
//                                            (completed and no_show once it has started)
//   GET    events                          ?start_date&end_date: raw calendar events
//   GET    clinic, PUT clinic              read / replace the configuration (engine-checked)
//
// Every endpoint takes clinic_id (query or body); it may be left out when the server holds
// one clinic. The routes live in staff/ by resource; staff/staff_dialect.h renders errors.
#ifndef SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_staff_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_STAFF_ROUTES_H_
