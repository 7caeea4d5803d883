#include "http/detail_dialect.h"

#include "http/responses.h"

namespace slotbook::server {
namespace {

std::string hours_text(int minutes) {
  if (minutes % 60 == 0) return std::to_string(minutes / 60) + " hours";
  return std::to_string(minutes) + " minutes";
}

}  // namespace

void send_detail(Response& res, int status, const std::string& detail) {
  send_json(res, status, Json{{"detail", detail}});
}

void send_validation(Response& res, const char* location, const std::vector<FieldError>& errors) {
  Json detail = Json::array();
  for (const FieldError& e : errors) {
    Json loc = Json::array({location});
    if (!e.field.empty()) loc.push_back(e.field);
    detail.push_back({{"loc", std::move(loc)}, {"msg", e.message}, {"type", e.type}});
  }
  send_json(res, 422, Json{{"detail", std::move(detail)}});
}

void send_booking_refusal(Response& res, Refusal reason, const ClinicConfig& clinic,
                          const std::string& date_text, const std::string& time_text,
                          const std::string& not_found_detail) {
  switch (reason) {
    case Refusal::kInPast:
      return send_detail(res, 400, "Cannot book in the past");
    case Refusal::kTooSoon:
      return send_detail(res, 400,
                         "Bookings must be made at least " +
                             hours_text(clinic.rules().min_notice_minutes) + " in advance");
    case Refusal::kTooFar:
      return send_detail(res, 400,
                         "Cannot book more than " +
                             std::to_string(clinic.rules().max_advance_days) + " days in advance");
    case Refusal::kUnknownAppointmentType:
    case Refusal::kUnknownPractitioner:
      return send_detail(res, 404, not_found_detail);
    default:
      return send_detail(res, 409,
                         "Time slot " + time_text + " on " + date_text + " is not available");
  }
}

}  // namespace slotbook::server
