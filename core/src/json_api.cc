#include "slotbook/json_api.h"

#include <algorithm>
#include <cstring>

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

namespace {

// Writes into memory reserved up front: the listing can hold thousands of slots, and
// appending char by char to a std::string is slow where the standard library is not
// inlined (WebAssembly).
class Writer {
 public:
  Writer(std::string& out, std::size_t capacity) : out_(out) {
    out_.resize(capacity);
    at_ = out_.data();
  }
  template <std::size_t N>
  void literal(const char (&text)[N]) {
    std::memcpy(at_, text, N - 1);
    at_ += N - 1;
  }
  void text(std::string_view text) {
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  void character(char c) { *at_++ = c; }
  void number(std::size_t value) {
    char digits[24];
    char* end = digits + sizeof digits;
    char* first = end;
    do {
      *--first = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    text(std::string_view(first, static_cast<std::size_t>(end - first)));
  }
  void date(LocalDate date) { at_ = write_date(at_, date); }
  void instant(Instant instant) { at_ = write_instant(at_, instant); }
  void hh_mm(LocalTime time) { at_ = write_hh_mm(at_, time); }
  void finish() { out_.resize(static_cast<std::size_t>(at_ - out_.data())); }

 private:
  std::string& out_;
  char* at_;
};

}  // namespace

std::string slot_list_json(const Snapshot& snapshot, const SlotQuery& query, const SlotList& list) {
  std::vector<std::string> practitioner_ids;
  practitioner_ids.reserve(snapshot.practitioners.size());
  std::size_t longest_id = 0;
  for (const Practitioner& p : snapshot.practitioners) {
    practitioner_ids.push_back(json_string(p.id));
    longest_id = std::max(longest_id, practitioner_ids.back().size());
  }
  const std::string header[] = {json_string(snapshot.clinic_id), json_string(list.type.id),
                                json_string(query.practitioner_id.value_or("any")),
                                json_string(snapshot.zone.name())};
  std::size_t capacity = 512;
  for (const auto& part : header) capacity += part.size();
  // Generous bounds per day and per slot (keys, two local times, two instants, numbers).
  capacity += list.days.size() * (96 + 2 * kMaxFormattedLength) +
              list.slots.size() * (160 + 4 * kMaxFormattedLength) +
              list.practitioners.size() * (longest_id + 1);

  std::string out;
  Writer w(out, capacity);
  w.literal("{\"clinic_id\":");
  w.text(header[0]);
  w.literal(",\"appointment_type\":");
  w.text(header[1]);
  w.literal(",\"practitioner_id\":");
  w.text(header[2]);
  w.literal(",\"start_date\":\"");
  w.date(query.start_date);
  w.literal("\",\"end_date\":\"");
  w.date(query.end_date);
  w.literal("\",\"timezone\":");
  w.text(header[3]);
  w.literal(",\"slot_duration_minutes\":");
  w.number(static_cast<std::size_t>(list.type.duration_minutes));
  w.literal(",\"total_days_with_availability\":");
  w.number(list.days.size());
  w.literal(",\"available_slots\":[");
  for (std::size_t d = 0; d < list.days.size(); ++d) {
    const SlotDay& day = list.days[d];
    if (d > 0) w.character(',');
    w.literal("{\"date\":\"");
    w.date(day.date);
    w.literal("\",\"day_of_week\":\"");
    w.text(weekday_name(day.date));
    w.literal("\",\"total_slots\":");
    w.number(day.slot_count);
    w.literal(",\"slots\":[");
    for (std::uint32_t s = 0; s < day.slot_count; ++s) {
      const Slot& slot = list.slots[day.first_slot + s];
      if (s > 0) w.character(',');
      w.literal("{\"start\":\"");
      w.hh_mm(snapshot.zone.to_local(slot.start));
      w.literal("\",\"end\":\"");
      w.hh_mm(snapshot.zone.to_local(slot.end));
      w.literal("\",\"start_utc\":\"");
      w.instant(slot.start);
      w.literal("\",\"end_utc\":\"");
      w.instant(slot.end);
      w.literal("\",\"duration_minutes\":");
      w.number(static_cast<std::size_t>(list.type.duration_minutes));
      w.literal(",\"practitioner_ids\":[");
      for (std::uint32_t k = 0; k < slot.practitioner_count; ++k) {
        if (k > 0) w.character(',');
        w.text(practitioner_ids[list.practitioners[slot.first_practitioner + k]]);
      }
      w.literal("]}");
    }
    w.literal("]}");
  }
  w.literal("]}");
  w.finish();
  return out;
}

SnapshotCache::SnapshotCache(const ZoneSource* zones) : zones_(zones) {}

void SnapshotCache::use(std::string_view text) {
  if (parsed_ && text == text_) return;
  json document = parse_text(text);
  if (document.is_discarded()) {
    parsed_.emplace(invalid_json("snapshot"));
  } else {
    parsed_.emplace(parse_snapshot(document, zones_));
  }
  text_.assign(text);
}

Result<const Snapshot*> SnapshotCache::snapshot() const {
  const Result<Snapshot>& parsed = *parsed_;
  if (!parsed.ok()) return parsed.error();
  return &*parsed;
}

template <typename T, typename AnswerFn>
Result<T> SnapshotCache::answer(std::string_view request_text, const char* request_name,
                                AnswerFn&& answer_fn) {
  const Result<Snapshot>& snapshot = *parsed_;
  if (!snapshot.ok() && snapshot.error().code == ErrorCode::kInvalidJson) {
    return snapshot.error();
  }
  json request = parse_text(request_text);
  if (request.is_discarded()) return invalid_json(request_name);
  if (!snapshot.ok()) return snapshot.error();
  return answer_fn(*snapshot, request);
}

Result<SlotAnswer> SnapshotCache::slot_list(std::string_view query_text) {
  return answer<SlotAnswer>(query_text, "query",
                            [](const Snapshot& snapshot, const json& input) -> Result<SlotAnswer> {
                              auto query = parse_slot_query(input);
                              if (!query.ok()) return query.error();
                              auto list = list_slots(snapshot, *query);
                              if (!list.ok()) return list.error();
                              return SlotAnswer{&snapshot, std::move(*query), std::move(*list)};
                            });
}

JsonAnswer SnapshotCache::slots(std::string_view query_text) {
  Result<SlotAnswer> listing = slot_list(query_text);
  if (!listing.ok()) return error_answer(listing.error());
  return JsonAnswer{slot_list_json(*listing->snapshot, listing->query, listing->list), false};
}

JsonAnswer SnapshotCache::validate(std::string_view booking_text) {
  Result<Refusal> verdict = answer<Refusal>(
      booking_text, "booking", [](const Snapshot& snapshot, const json& input) -> Result<Refusal> {
        auto booking = parse_booking_request(input);
        if (!booking.ok()) return booking.error();
        return validate_booking(snapshot, *booking);
      });
  if (!verdict.ok()) return error_answer(verdict.error());
  return JsonAnswer{verdict_json(*verdict), false};
}

JsonAnswer SnapshotCache::slots(std::string_view snapshot_text, std::string_view query_text) {
  use(snapshot_text);
  return slots(query_text);
}

JsonAnswer SnapshotCache::validate(std::string_view snapshot_text, std::string_view booking_text) {
  use(snapshot_text);
  return validate(booking_text);
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
