#include "slotbook/json_api.h"

#include <nlohmann/json.hpp>

namespace slotbook {
namespace {

using nlohmann::json;

// JSON string literal of `text` (quotes included). Input strings came through the JSON
// parser, so they are valid UTF-8; `replace` only guards against a future caller.
std::string json_string(std::string_view text) {
  return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

JsonAnswer error_answer(const Error& error) { return {error_json(error), true}; }

Error invalid_json(const char* which) {
  return make_error(ErrorCode::kInvalidJson, std::string("the ") + which + " is not valid JSON");
}

// The text parsed; discarded (is_discarded()) when it is not JSON. Never throws.
json parse_text(std::string_view text) { return json::parse(text, nullptr, false); }

}  // namespace

std::string error_json(const Error& error) {
  std::string out = "{\"error\":{\"code\":\"";
  out += to_string(error.code);
  out += "\",\"message\":";
  out += json_string(error.message);
  out += "}}";
  return out;
}

std::string verdict_json(Refusal reason) {
  if (reason == Refusal::kNone) return "{\"ok\":true}";
  std::string out = "{\"ok\":false,\"reason\":\"";
  out += to_string(reason);
  out += "\"}";
  return out;
}

std::string slot_list_json(const Snapshot& snapshot, const SlotQuery& query, const SlotList& list) {
  std::vector<std::string> practitioner_ids;
  practitioner_ids.reserve(snapshot.practitioners.size());
  for (const Practitioner& p : snapshot.practitioners)
    practitioner_ids.push_back(json_string(p.id));
  const std::string duration = std::to_string(list.type->duration_minutes);

  std::string out;
  out.reserve(256 + list.slots.size() * 200);
  out += "{\"clinic_id\":" + json_string(snapshot.clinic_id);
  out += ",\"appointment_type\":" + json_string(list.type->id);
  out += ",\"practitioner_id\":" + json_string(query.practitioner_id.value_or("any"));
  out += ",\"start_date\":\"" + format_date(query.start_date);
  out += "\",\"end_date\":\"" + format_date(query.end_date);
  out += "\",\"timezone\":" + json_string(snapshot.zone.name());
  out += ",\"slot_duration_minutes\":" + duration;
  out += ",\"total_days_with_availability\":" + std::to_string(list.days.size());
  out += ",\"available_slots\":[";
  for (std::size_t d = 0; d < list.days.size(); ++d) {
    const SlotDay& day = list.days[d];
    if (d > 0) out += ',';
    out += "{\"date\":\"" + format_date(day.date);
    out += "\",\"day_of_week\":\"";
    out += weekday_name(day.date);
    out += "\",\"total_slots\":" + std::to_string(day.slot_count) + ",\"slots\":[";
    for (std::uint32_t s = 0; s < day.slot_count; ++s) {
      const Slot& slot = list.slots[day.first_slot + s];
      if (s > 0) out += ',';
      out += "{\"start\":\"" + format_hh_mm(snapshot.zone.to_local(slot.start));
      out += "\",\"end\":\"" + format_hh_mm(snapshot.zone.to_local(slot.end));
      out += "\",\"start_utc\":\"" + format_instant(slot.start);
      out += "\",\"end_utc\":\"" + format_instant(slot.end);
      out += "\",\"duration_minutes\":" + duration + ",\"practitioner_ids\":[";
      for (std::uint32_t k = 0; k < slot.practitioner_count; ++k) {
        if (k > 0) out += ',';
        out += practitioner_ids[list.practitioners[slot.first_practitioner + k]];
      }
      out += "]}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

SnapshotCache::SnapshotCache(const ZoneSource* zones) : zones_(zones) {}

const Result<Snapshot>& SnapshotCache::load(std::string_view text) {
  if (!parsed_ || text != text_) {
    json document = parse_text(text);
    if (document.is_discarded()) {
      parsed_.emplace(invalid_json("snapshot"));
    } else {
      parsed_.emplace(parse_snapshot(document, zones_));
    }
    text_.assign(text);
  }
  return *parsed_;
}

JsonAnswer SnapshotCache::slots(std::string_view snapshot_text, std::string_view query_text) {
  const Result<Snapshot>& snapshot = load(snapshot_text);
  if (!snapshot.ok() && snapshot.error().code == ErrorCode::kInvalidJson) {
    return error_answer(snapshot.error());
  }
  json query_json = parse_text(query_text);
  if (query_json.is_discarded()) return error_answer(invalid_json("query"));
  if (!snapshot.ok()) return error_answer(snapshot.error());
  auto query = parse_slot_query(query_json);
  if (!query.ok()) return error_answer(query.error());
  auto list = list_slots(*snapshot, *query);
  if (!list.ok()) return error_answer(list.error());
  return {slot_list_json(*snapshot, *query, *list), false};
}

JsonAnswer SnapshotCache::validate(std::string_view snapshot_text, std::string_view booking_text) {
  const Result<Snapshot>& snapshot = load(snapshot_text);
  if (!snapshot.ok() && snapshot.error().code == ErrorCode::kInvalidJson) {
    return error_answer(snapshot.error());
  }
  json booking_json = parse_text(booking_text);
  if (booking_json.is_discarded()) return error_answer(invalid_json("booking"));
  if (!snapshot.ok()) return error_answer(snapshot.error());
  auto booking = parse_booking_request(booking_json);
  if (!booking.ok()) return error_answer(booking.error());
  return {verdict_json(validate_booking(*snapshot, *booking)), false};
}

JsonAnswer slots_json(std::string_view snapshot, std::string_view query, const ZoneSource* zones) {
  return SnapshotCache(zones).slots(snapshot, query);
}

JsonAnswer validate_json(std::string_view snapshot, std::string_view booking,
                         const ZoneSource* zones) {
  return SnapshotCache(zones).validate(snapshot, booking);
}

JsonAnswer prepare_json(std::string_view snapshot_text, const ZoneSource& zones) {
  json document = parse_text(snapshot_text);
  if (document.is_discarded()) return error_answer(invalid_json("snapshot"));
  // Rules are taken fresh from `zones`, replacing any the snapshot carried.
  if (document.is_object()) document.erase("zone_rules");
  auto snapshot = parse_snapshot(document, &zones);
  if (!snapshot.ok()) return error_answer(snapshot.error());
  snapshot->zone.to_json(document["zone_rules"]);
  return {document.dump(-1, ' ', false, json::error_handler_t::replace), false};
}

}  // namespace slotbook
