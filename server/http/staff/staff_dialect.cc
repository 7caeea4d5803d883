#include "http/staff/staff_dialect.h"

#include "common/strict_json.h"
#include "http/refusal_view.h"
#include "http/staff_auth.h"

namespace slotbook::server {

namespace {

// Seed 000's "error" strings, by machine code. The machine code, our own explanation
// ("details") and any specifics ride along as extra keys.
std::string_view title(std::string_view code, std::string_view field_hint) {
  struct Title {
    std::string_view code;
    std::string_view text;
  };
  static constexpr Title kTitles[] = {
      {"unauthorized", "Invalid API key"},
      {"invalid_json", "Invalid JSON body"},
      {"booking_not_found", "Appointment not found"},
      {"clinic_not_found", "Clinic not found"},
      {"clinic_id_required", "Clinic not specified"},
      {"clinic_id_mismatch", "Clinic id mismatch"},
      {"unknown_appointment_type", "Appointment type not found"},
      {"unknown_practitioner", "Practitioner not found"},
      {"ambiguous_appointment_type", "Ambiguous appointment type"},
      {"invalid_range", "Invalid date range"},
      {"range_too_large", "Invalid date range"},
      {"invalid_state", "Appointment cannot be changed"},
      {"invalid_clinic_config", "Invalid clinic configuration"},
      {"delivery_not_found", "Delivery not found"},
      {"delivery_not_retryable", "Delivery cannot be retried"},
      {"webhook_not_found", "Webhook not found"},
      {"invalid_webhook", "Invalid webhook"},
      {"too_many_webhooks", "Too many webhooks"},
      {"secret_key_required", "Calendar connections need a server key"},
      {"provider_not_configured", "Calendar provider not configured"},
      {"unknown_provider", "Unknown calendar provider"},
      {"invalid_state_token", "Failed to authenticate with Google"},
      {"authorization_failed", "Failed to authenticate with Google"},
      {"feed_not_found", "Calendar feed not found"},
      {"forbidden", "Not allowed"},
      {"csrf_failed", "Cross-site request refused"},
      {"invalid_credentials", "Invalid email or password"},
      {"too_many_attempts", "Too many sign-in attempts"},
      {"key_not_found", "API key not found"},
      {"invalid_key_request", "Invalid API key request"},
      {"user_not_found", "User not found"},
  };
  if (code == "validation_failed") {
    if (field_hint.find("date") != std::string_view::npos) return "Invalid date format";
    if (field_hint == "time") return "Invalid time format";
    return "Invalid request";
  }
  for (const Title& t : kTitles) {
    if (t.code == code) return t.text;
  }
  return "Request failed";
}

void render(Response& res, int status, std::string_view code, std::string_view title_text,
            std::string_view details, const Json& extra) {
  Json body = {{"success", false}, {"error", title_text}, {"details", details}, {"code", code}};
  for (auto it = extra.begin(); it != extra.end(); ++it) body[it.key()] = it.value();
  send_json(res, status, body);
}

}  // namespace

void staff_error(Response& res, int status, std::string_view code, std::string_view details,
                 const Json& extra) {
  render(res, status, code, title(code, ""), details, extra);
}

void staff_failure(Response& res, const Failure& failure, const Json& extra) {
  switch (failure.kind) {
    case FailureKind::kNotFound:
      return staff_error(res, 404, failure.code, failure.message, extra);
    case FailureKind::kInvalid: {
      // Well-formed but unusable (seed 000 has no shape for these; 422 like the public API).
      const bool unprocessable =
          failure.code == "invalid_clinic_config" || failure.code == "ambiguous_appointment_type" ||
          failure.code == "practitioner_id_taken" || failure.code == "bookings_in_the_way";
      return staff_error(res, unprocessable ? 422 : 400, failure.code, failure.message, extra);
    }
    case FailureKind::kInvalidState:
      return staff_error(res, 400, failure.code, failure.message, extra);
    case FailureKind::kStorage:
    case FailureKind::kUnavailable:
      send_failure(res, failure);  // logs; shows nothing internal
      return;
  }
}

void staff_fields(Response& res, const std::vector<FieldError>& errors, const Json& extra) {
  Json fields = Json::object();
  for (const FieldError& e : errors) {
    if (!fields.contains(e.field)) fields[e.field] = e.message;
  }
  Json all = extra;
  all["fields"] = std::move(fields);
  const std::string first_field = errors.empty() ? "" : errors.front().field;
  render(res, 400, "validation_failed", title("validation_failed", first_field),
         errors.empty() ? "some fields are missing or invalid" : errors.front().message, all);
}

void staff_refusal(Response& res, Refusal reason, StaffAction action) {
  const Json extra = {{"reason", std::string(to_string(reason))}};
  const std::string details = refusal_message(reason);
  if (refusal_status(reason) == 404) {
    return render(res, 404, "not_found", title(to_string(reason), ""), details, extra);
  }
  // Seed 000: "Slot already booked" when another appointment holds the time.
  const char* text = action == StaffAction::kMove   ? "New time slot not available"
                     : reason == Refusal::kConflict ? "Slot already booked"
                                                    : "Time slot not available";
  render(res, 409, "slot_unavailable", text, details, extra);
}

namespace {

// 401, 403 or 503 for a request that authenticate() refused; false when it was refused.
bool admitted(const Authentication& auth, Response& res) {
  switch (auth.refusal) {
    case AuthRefusal::kNone:
      return true;
    case AuthRefusal::kUnauthenticated:
      staff_error(res, 401, "unauthorized", "Invalid API key");
      return false;
    case AuthRefusal::kCsrf:
      staff_error(res, 403, "csrf_failed",
                  "a signed-in write needs the session's X-CSRF-Token and this server's Origin");
      return false;
    case AuthRefusal::kUnavailable:
      send_failure(res, storage_unavailable("staff credentials could not be checked"));
      return false;
  }
  return false;
}

}  // namespace

StaffCall begin_staff_call(AppContext& app, const Request& req, Response& res, Permission need) {
  StaffCall call;
  if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = parse_strict_json(req.body);
    if (!parsed) {
      if (admitted(authenticate(app, req, nullptr), res)) {
        staff_error(res, 400, "invalid_json",
                    "the request body is not valid JSON (or repeats a key in one object)");
      }
      return call;
    }
    call.body = std::move(*parsed);
  }
  Authentication auth = authenticate(app, req, &call.body);
  if (!admitted(auth, res)) return call;
  call.principal = std::move(*auth.principal);
  if (!call.principal.may(need)) {
    staff_error(res, 403, "forbidden", "this account may not do this");
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
                                                           const StaffCall& call) {
  std::string requested = req.get_param_value("clinic_id");
  const nlohmann::json& body = call.body;
  if (requested.empty() && body.contains("clinic_id") && body["clinic_id"].is_string()) {
    requested = body["clinic_id"].get<std::string>();
  }
  if (requested.empty()) requested = call.principal.clinic_id;
  // Another clinic's is not there for this principal: the same answer as no clinic.
  if (!call.principal.sees_clinic(requested)) {
    return not_found("clinic_not_found", "no clinic " + requested);
  }
  return app.queries.named_or_only_clinic(requested);
}

Expected<BookingWithClinic> staff_booking(AppContext& app, const StaffCall& call,
                                          const std::string& id) {
  auto found = app.queries.booking(id);
  if (!found.ok()) return found;
  if (!call.principal.sees_clinic(found->booking.clinic_id) ||
      !call.principal.sees_practitioner(found->booking.practitioner_id)) {
    return not_found("booking_not_found", "no such booking");
  }
  return found;
}

std::optional<Instant> local_instant(Response& res, const ClinicConfig& clinic, LocalDate date,
                                     int minutes) {
  const LocalTime local = LocalTime(date) + std::chrono::minutes(minutes);
  std::optional<Instant> instant = clinic.wall_time(local);
  if (!instant) {
    staff_fields(res, {{"time", clinic.skipped_wall_time_message(local), "value_error"}});
  }
  return instant;
}

}  // namespace slotbook::server
