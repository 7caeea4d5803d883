// The staff dialect (seeds 000-003, docs/api.md "Staff API"): what every staff endpoint
// shares. Successes carry "success": true; errors are rendered here and nowhere else.
#ifndef SLOTBOOK_SERVER_HTTP_STAFF_STAFF_DIALECT_H_
#define SLOTBOOK_SERVER_HTTP_STAFF_STAFF_DIALECT_H_

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/principal.h"
#include "booking/booking_queries.h"
#include "booking/booking_service.h"
#include "http/app_context.h"
#include "http/net/router.h"
#include "http/request_fields.h"
#include "http/responses.h"

namespace slotbook::server {

// The common preamble: the JSON body (empty allowed), then who asks (an API key in a
// header or the body, or the staff app's session: http/staff_auth.h) and whether they may
// (`need`): 401 unauthorized, 403 csrf_failed or forbidden otherwise.
struct StaffCall {
  nlohmann::json body = nlohmann::json::object();
  Principal principal;
  bool ok = false;  // false: an error was sent
};
StaffCall begin_staff_call(AppContext& app, const Request& req, Response& res, Permission need);

// Errors in seed 000's shape: {"success": false, "error": "<the seed's message for
// `code`>", "details": "<what exactly>", "code": "<machine code>", ...extra}.
void staff_error(Response& res, int status, std::string_view code, std::string_view details,
                 const Json& extra = Json::object());
// kNotFound 404, kInvalid 400 (invalid_clinic_config 422), kInvalidState 400, storage 500.
void staff_failure(Response& res, const Failure& failure, const Json& extra = Json::object());
// 400 validation_failed with "fields": {name: first message}.
void staff_fields(Response& res, const std::vector<FieldError>& errors,
                  const Json& extra = Json::object());
// An engine refusal: 404 for an unknown type or practitioner, else 409 slot_unavailable
// with the engine's "reason".
enum class StaffAction { kBook, kMove };
void staff_refusal(Response& res, Refusal reason, StaffAction action);

// clinic_id from the query or body; else the principal's clinic; else the only clinic
// stored. A clinic the principal may not see is clinic_not_found.
Expected<std::shared_ptr<const ClinicConfig>> staff_clinic(AppContext& app, const Request& req,
                                                           const StaffCall& call);
// Booking `id` if the principal may see it (its clinic, and for a practitioner their own);
// booking_not_found otherwise.
Expected<BookingWithClinic> staff_booking(AppContext& app, const StaffCall& call,
                                          const std::string& id);
// The instant of local wall time `minutes` after midnight of `date` in the clinic's zone;
// nullopt after answering 422 on field `time` when the clocks skip that time.
std::optional<Instant> local_instant(Response& res, const ClinicConfig& clinic, LocalDate date,
                                     int minutes);

// Route groups (staff_routes.h registers them all).
void register_staff_availability_routes(Router& server, AppContext& app);
void register_staff_appointment_routes(Router& server, AppContext& app);
void register_staff_clinic_routes(Router& server, AppContext& app);
void register_staff_delivery_routes(Router& server, AppContext& app);
void register_staff_calendar_routes(Router& server, AppContext& app);
void register_staff_account_routes(Router& server, AppContext& app);
void register_staff_schedule_routes(Router& server, AppContext& app);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_STAFF_STAFF_DIALECT_H_
