// Seed 002's Calendly-like clinic routes, exactly, as a thin dialect over the services.
// Public like the widget's booking (CORS; the booking is rate-limited). The clinic is
// `clinic_id` (query or body) or, when the server holds one clinic, that one.
//
//   GET  /api/calendly/availability?date=YYYY-MM-DD&appointment_type=consultation
//        -> {date, appointment_type, duration_minutes, available_slots: [{start, end}]}
//        (clinic wall times "HH:MM", the type's own grid, any practitioner)
//   POST /api/calendly/book {patient_name, appointment_type, date, start_time}
//        -> {status: "confirmed", booking_id, message}
//        optional: clinic_id, practitioner_id ("any"), patient_email, patient_phone, notes
//
// appointment_type is a type's id or display name (case-insensitive). Errors are the
// seed's FastAPI style (detail_dialect.h): a taken slot is 409 {"detail": "..."}.
#ifndef SLOTBOOK_SERVER_HTTP_CALENDLY_ROUTES_H_
#define SLOTBOOK_SERVER_HTTP_CALENDLY_ROUTES_H_

#include "http/app_context.h"
#include "http/net/router.h"

namespace slotbook::server {

void register_calendly_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_CALENDLY_ROUTES_H_
