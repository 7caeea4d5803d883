// Query and booking-request parsing (engine-contract.md, "Query" and the order of errors).
#include <nlohmann/json.hpp>

#include "json_fields.h"
#include "slotbook/engine.h"
#include "slotbook/json_api.h"
#include "slotbook/limits.h"

namespace slotbook {
namespace {

using internal::Fields;

constexpr ErrorCode kCode = ErrorCode::kInvalidQuery;

Error query_error(const std::string& message) { return make_error(kCode, message); }

}  // namespace

std::optional<Error> check_query_range(LocalDate start, LocalDate end) {
  if (end < start) return make_error(ErrorCode::kInvalidRange, "end_date is before start_date");
  if (end - start > date::days{kMaxQueryRangeDays}) {
    return make_error(
        ErrorCode::kRangeTooLarge,
        "end_date is more than " + std::to_string(kMaxQueryRangeDays) + " days after start_date");
  }
  return std::nullopt;
}

Result<SlotQuery> parse_slot_query(const nlohmann::json& input) {
  Fields fields(input, kCode, "query");
  SlotQuery query;
  query.appointment_type = fields.string("appointment_type");
  std::string start_text = fields.string("start_date");
  std::string end_text = fields.string("end_date");
  std::string now_text = fields.string("now");
  if (fields.failed()) return fields.error();
  // practitioner_id: absent, null or "any" all mean any practitioner.
  auto practitioner = input.find("practitioner_id");
  if (practitioner != input.end() && !practitioner->is_null()) {
    if (!practitioner->is_string()) return query_error("query.practitioner_id must be a string");
    if (practitioner->get_ref<const std::string&>() != "any") {
      query.practitioner_id = practitioner->get<std::string>();
    }
  }
  auto start = parse_date(start_text);
  if (!start) return query_error("query.start_date must be an existing date YYYY-MM-DD");
  auto end = parse_date(end_text);
  if (!end) return query_error("query.end_date must be an existing date YYYY-MM-DD");
  auto now = parse_instant(now_text);
  if (!now) return query_error("query.now must be an RFC 3339 instant with seconds");
  if (auto error = check_query_range(*start, *end)) return *error;
  query.start_date = *start;
  query.end_date = *end;
  query.now = *now;
  return query;
}

Result<BookingRequest> parse_booking_request(const nlohmann::json& input) {
  Fields fields(input, kCode, "booking");
  BookingRequest request;
  request.appointment_type = fields.string("appointment_type");
  request.practitioner_id = fields.string("practitioner_id");
  std::string start_text = fields.string("start");
  std::string now_text = fields.string("now");
  if (fields.failed()) return fields.error();
  auto start = parse_instant(start_text);
  if (!start) return query_error("booking.start must be an RFC 3339 instant with seconds");
  auto now = parse_instant(now_text);
  if (!now) return query_error("booking.now must be an RFC 3339 instant with seconds");
  request.start = *start;
  request.now = *now;
  return request;
}

}  // namespace slotbook
