#include "http/partner_routes.h"

#include "common/log_text.h"
#include "common/strict_json.h"

#include <regex>

#include <spdlog/spdlog.h>

#include "booking/booking_view.h"
#include "common/clock.h"
#include "http/detail_dialect.h"
#include "http/request_fields.h"
#include "http/responses.h"
#include "http/staff_auth.h"
#include "slotbook/limits.h"

namespace slotbook::server {
namespace {

// The partner's principal, or nullopt after answering as the guide does (401 for a
// missing or wrong key). A key of another clinic than the agent's is told the agent does
// not exist (404), as for any agent it cannot see.
std::optional<Principal> partner(AppContext& app, const Request& req, const nlohmann::json* body,
                                 Response& res, const char* endpoint, Permission need) {
  Authentication auth = authenticate(app, req, body);
  if (auth.refusal == AuthRefusal::kUnavailable) {
    send_failure(res, storage_unavailable("staff credentials could not be checked"));
    return std::nullopt;
  }
  if (!auth.principal) {
    spdlog::warn("invalid API key attempt on {} from {}", endpoint, log_text(req.remote_addr));
    send_detail(
        res, auth.refusal == AuthRefusal::kCsrf ? 403 : 401,
        auth.refusal == AuthRefusal::kCsrf ? "Cross-site request refused" : "Invalid API key");
    return std::nullopt;
  }
  if (!auth.principal->may(need)) {
    send_detail(res, 403, "Not allowed");
    return std::nullopt;
  }
  return auth.principal;
}

// The clinic of `agent_id` as `principal` may see it; "" when none (404).
Expected<std::string> visible_agent_clinic(AppContext& app, const Principal& principal,
                                           const std::string& agent_id) {
  auto clinic_id = app.queries.clinic_of_practitioner(agent_id);
  if (!clinic_id.ok()) return clinic_id;
  if (!principal.sees_clinic(*clinic_id) || !principal.sees_practitioner(agent_id)) {
    return std::string();
  }
  return clinic_id;
}

void free_slots(AppContext& app, const Request& req, Response& res) {
  const std::string agent_id = req.matches[1];
  // 1. Parameter formats (422), as the guide's framework checks them before the handler.
  std::vector<FieldError> errors;
  std::optional<LocalDate> start_date, end_date;
  for (auto [name, out] :
       {std::pair{"start_date", &start_date}, std::pair{"end_date", &end_date}}) {
    if (!req.has_param(name)) {
      errors.push_back({name, "field required", "value_error.missing"});
    } else if (!(*out = parse_strict_date(req.get_param_value(name)))) {
      errors.push_back({name, "invalid date format", "value_error.date"});
    }
  }
  int duration = 30;
  if (req.has_param("duration_minutes")) {
    static const std::regex kInteger(R"(-?\d{1,9})");
    const std::string text = req.get_param_value("duration_minutes");
    if (!std::regex_match(text, kInteger)) {
      errors.push_back({"duration_minutes", "value is not a valid integer", "type_error.integer"});
    } else {
      duration = std::stoi(text);
      if (duration < 1 || duration > kMaxDurationMinutes) {
        errors.push_back(
            {"duration_minutes",
             "ensure this value is between 1 and " + std::to_string(kMaxDurationMinutes),
             "value_error.number"});
      }
    }
  }
  if (!errors.empty()) return send_validation(res, "query", errors);
  // 2. API key. 3. Range. 4. Agent.
  auto principal = partner(app, req, nullptr, res, "free-slots", Permission::kViewSchedule);
  if (!principal) return;
  if (*end_date < *start_date) return send_detail(res, 400, "end_date must be after start_date");
  if (*end_date - *start_date > date::days(kMaxQueryRangeDays)) {
    return send_detail(res, 400,
                       "Date range cannot exceed " + std::to_string(kMaxQueryRangeDays) + " days");
  }
  auto clinic_id = visible_agent_clinic(app, *principal, agent_id);
  if (!clinic_id.ok()) return send_failure(res, clinic_id.error());
  if (clinic_id->empty()) {
    return send_detail(res, 404, "Business hours not found for agent " + agent_id);
  }
  AvailabilityRequest request;
  request.clinic_id = *clinic_id;
  request.ad_hoc = AdHocDuration{duration, duration};
  request.practitioner_id = agent_id;
  request.start_date = *start_date;
  request.end_date = *end_date;
  auto availability = app.queries.availability(request);
  if (!availability.ok()) return send_failure(res, availability.error());
  const Availability& a = **availability;
  Json days = Json::array();
  for (const SlotDay& day : a.slots.days) {
    Json slots = Json::array();
    for (std::uint32_t i = day.first_slot; i < day.first_slot + day.slot_count; ++i) {
      const Slot& slot = a.slots.slots[i];
      slots.push_back({{"start", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.start)))},
                       {"end", format_hh_mm(a.snapshot.zone.to_local(Instant(slot.end)))},
                       {"duration_minutes", duration}});
    }
    days.push_back({{"date", format_date(day.date)},
                    {"day_of_week", std::string(weekday_name(day.date))},
                    {"total_slots", day.slot_count},
                    {"slots", std::move(slots)}});
  }
  send_json(res, 200,
            Json{{"agent_id", agent_id},
                 {"start_date", format_date(*start_date)},
                 {"end_date", format_date(*end_date)},
                 {"timezone", a.clinic->timezone()},
                 {"slot_duration_minutes", duration},
                 {"total_days_with_availability", a.slots.days.size()},
                 {"available_slots", std::move(days)}});
}

void external_booking(AppContext& app, const Request& req, Response& res) {
  auto parsed = parse_strict_json(req.body);
  if (!parsed) {
    return send_validation(res, "body", {{"", "invalid JSON body", "value_error.jsondecode"}});
  }
  const nlohmann::json& body = *parsed;
  if (!body.is_object()) {
    return send_validation(res, "body", {{"", "must be a JSON object", "type_error.dict"}});
  }
  // 1. Formats (422).
  std::vector<FieldError> errors;
  FieldReader fields(body, "", &errors);
  auto agent_id = fields.text("agent_id", true, kMaxText);
  auto name = fields.text("participant_name", true, kMaxText);
  auto email = fields.text("participant_email", false, kMaxText);
  if (email && !email->empty() && !looks_like_email(*email)) {
    fields.fail("participant_email", "value is not a valid email address");
  }
  auto phone = fields.text("participant_phone", false, kMaxPhone);
  auto booking_date = fields.date("booking_date", true, "Invalid date format");
  auto booking_time = fields.time_of_day("booking_time", true, "Invalid time format");
  auto duration = fields.integer("duration_minutes", false, 1, kMaxDurationMinutes);
  auto description = fields.text("description", false, kMaxNotes);
  auto reference = fields.text("external_reference_id", false, kMaxText);
  (void)fields.text("api_key", false, 1024);
  if (!errors.empty()) return send_validation(res, "body", errors);
  const int minutes = static_cast<int>(duration.value_or(30));

  // 2. API key (header first, then body).
  auto principal = partner(app, req, &body, res, "external-booking", Permission::kChangeBookings);
  if (!principal) return;
  // 3. The agent.
  auto clinic_id = visible_agent_clinic(app, *principal, *agent_id);
  if (!clinic_id.ok()) return send_failure(res, clinic_id.error());
  if (clinic_id->empty()) {
    return send_detail(res, 404, "Business hours not found for agent " + *agent_id);
  }
  // 4. The engine decides, inside the booking transaction.
  NewBooking booking;
  booking.clinic_id = *clinic_id;
  booking.ad_hoc = AdHocDuration{minutes, 1};
  booking.practitioner_id = *agent_id;
  booking.patient = {*name, email.value_or(""), phone.value_or(""), "", ""};
  booking.notes = description.value_or("");
  booking.source = "partner";
  booking.actor = principal->actor;
  booking.external_reference_id = reference.value_or("");
  booking.issue_manage_token = false;
  // The wall-clock start in the clinic's zone needs the clinic's rules: read them first.
  auto clinic = app.queries.clinic(*clinic_id);
  if (!clinic.ok()) return send_failure(res, clinic.error());
  const LocalTime local_start = LocalTime(*booking_date) + std::chrono::minutes(*booking_time);
  const std::optional<Instant> start = (*clinic)->wall_time(local_start);
  if (!start) {
    return send_validation(res, "body",
                           {{"booking_time", (*clinic)->skipped_wall_time_message(local_start),
                             "value_error.nonexistent_time"}});
  }
  booking.start = *start;
  const std::string date_text = format_date(*booking_date);
  const std::string time_text = format_hh_mm(local_start);

  auto result = app.bookings.book(booking, nullptr);
  if (!result.ok()) {
    spdlog::error("external booking failed: {}", log_text(result.error().message));
    if (result.error().kind == FailureKind::kStorage) {
      return send_detail(res, 500, "Booking error: the booking could not be stored");
    }
    if (result.error().kind == FailureKind::kUnavailable) {
      res.set_header("Retry-After", "1");
      return send_detail(res, 503, std::string("Booking error: ") + kUnavailableMessage);
    }
    return send_detail(res, http_status(result.error()), result.error().message);
  }
  const BookingDecision& d = result->decision;
  if (d.refusal != Refusal::kNone) {
    return send_booking_refusal(res, d.refusal, *d.clinic, date_text, time_text,
                                "Business hours not found for agent " + *agent_id);
  }
  spdlog::info("external booking created: {} for agent {}", d.booking.id, log_text(*agent_id));
  send_json(res, 201,
            Json{{"status", "success"},
                 {"booking_id", d.booking.id},
                 {"message", "Booking confirmed for " + date_text + " at " + time_text},
                 {"details",
                  {{"event_id", d.booking.id},
                   {"agent_id", *agent_id},
                   {"participant_name", *name},
                   {"booking_date", date_text},
                   {"booking_time", time_text},
                   {"duration_minutes", minutes},
                   {"external_reference_id", reference ? Json(*reference) : Json(nullptr)}}}});
}

}  // namespace

void register_partner_routes(Router& server, AppContext& app) {
  server.Get(R"(/api/calendar/free-slots/([^/]+))",
             [&app](const Request& req, Response& res) { free_slots(app, req, res); });
  server.Post("/api/calendar/external-booking",
              [&app](const Request& req, Response& res) { external_booking(app, req, res); });
}

}  // namespace slotbook::server
