#include "http/staff/staff_dialect.h"

#include "http/api_key.h"
#include "http/refusal_view.h"

namespace slotbook::server {

using httplib::Request;
using httplib::Response;

void staff_error(Response& res, int status, std::string_view code, std::string_view message,
                 const Json& extra) {
  Json error = {{"code", code}, {"message", message}};
  for (auto it = extra.begin(); it != extra.end(); ++it) error[it.key()] = it.value();
  send_json(res, status, Json{{"success", false}, {"error", std::move(error)}});
}

void staff_failure(Response& res, const Failure& failure) {
  switch (failure.kind) {
    case FailureKind::kNotFound:
      // Seed 000's wording for a missing appointment.
      return staff_error(
          res, 404, failure.code,
          failure.code == "booking_not_found" ? "Appointment not found" : failure.message);
    case FailureKind::kInvalid:
      return staff_error(res, failure.code == "invalid_clinic_config" ? 422 : 400, failure.code,
                         failure.message);
    case FailureKind::kInvalidState:
      return staff_error(res, 400, failure.code, failure.message);
    case FailureKind::kStorage:
      send_failure(res, failure);  // logs; shows nothing internal
      return;
  }
}

void staff_fields(Response& res, const std::vector<FieldError>& errors) {
  Json fields = Json::object();
  for (const FieldError& e : errors) {
    if (!fields.contains(e.field)) fields[e.field] = e.message;
  }
  staff_error(res, 400, "validation_failed", "some fields are missing or invalid",
              Json{{"fields", std::move(fields)}});
}

void staff_refusal(Response& res, Refusal reason) {
  if (refusal_status(reason) == 404) {
    return staff_error(res, 404, "not_found", refusal_message(reason),
                       Json{{"reason", std::string(to_string(reason))}});
  }
  staff_error(res, 409, "slot_unavailable", "Time slot not available: " + refusal_message(reason),
              Json{{"reason", std::string(to_string(reason))}});
}

StaffCall begin_staff_call(AppContext& app, const Request& req, Response& res) {
  StaffCall call;
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    call.body = nlohmann::json::parse(req.body, nullptr, false);
    if (call.body.is_discarded()) {
      if (!has_api_key(req, nullptr, app.settings.api_key)) {
        staff_error(res, 401, "unauthorized", "Invalid API key");
      } else {
        staff_error(res, 400, "invalid_json", "the request body is not valid JSON");
      }
      return call;
    }
  }
  if (!has_api_key(req, &call.body, app.settings.api_key)) {
    staff_error(res, 401, "unauthorized", "Invalid API key");
    return call;
  }
  if (!call.body.is_object()) {
    staff_error(res, 400, "validation_failed", "the body must be a JSON object");
    return call;
  }
  call.ok = true;
  return call;
}

Expected<std::shared_ptr<const ClinicConfig>> staff_clinic(AppContext& app, const Request& req,
                                                           const nlohmann::json& body) {
  std::string requested = req.get_param_value("clinic_id");
  if (requested.empty() && body.contains("clinic_id") && body["clinic_id"].is_string()) {
    requested = body["clinic_id"].get<std::string>();
  }
  return app.queries.named_or_only_clinic(requested);
}

Instant local_instant(const ClinicConfig& clinic, LocalDate date, int minutes) {
  return Instant(clinic.checked().zone.to_instant(LocalTime(date) + std::chrono::minutes(minutes)));
}

}  // namespace slotbook::server
