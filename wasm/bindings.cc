// Bindings only: the engine for JavaScript (see web/src/engine.js for the public wrapper).
// Two kinds of answer, and no C++ exception or object ever crosses into JS:
// - slots, validate: the contract's JSON text, errors included (the contract and the
//   parity test speak it);
// - _slotTable, _practitionerIds, _lastBookableDate, _maxQueryRangeDays: plain JS values
//   for the widget, errors as {error: {code, message}} objects. _slotTable's columns are
//   typed-array views into wasm memory, valid until the next call into the module.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "slotbook/json_api.h"
#include "slotbook/limits.h"
#include "slotbook/slot_table.h"

// Answers go back as JS strings decoded in one TextDecoder call: a 90-day listing can be
// hundreds of kilobytes, and embind's std::string conversion scans it byte by byte in JS.
// clang-format off
EM_JS(emscripten::EM_VAL, decode_utf8, (const char* data, std::size_t length), {
  return Emval.toHandle(UTF8Decoder.decode(HEAPU8.subarray(data, data + length)));
});
// clang-format on

namespace {

using emscripten::val;

// WebAssembly has no tz database: snapshots must carry "zone_rules" (slot-engine prepare).
// The session parses a snapshot once; it also remembers the JS string the snapshot came
// from, so asking again with the very same string (the widget does, for every day the
// patient looks at) neither copies it into wasm memory nor compares it.
struct Session {
  slotbook::SnapshotCache cache{nullptr};
  val last_snapshot = val::undefined();
  // The columns of the last _slotTable answer: JS views read them in place.
  slotbook::SlotTable table;

  void use(const val& snapshot) {
    if (!snapshot.strictlyEquals(last_snapshot)) {
      cache.use(snapshot.as<std::string>());
      last_snapshot = snapshot;
    }
  }
};

Session& session() {
  static Session instance;
  return instance;
}

val to_js_string(const std::string& text) {
  return val::take_ownership(decode_utf8(text.data(), text.size()));
}

slotbook::Error not_text_error(const char* what) {
  return slotbook::make_error(slotbook::ErrorCode::kInvalidJson,
                              std::string("the ") + what + " must be JSON text");
}

// Arguments arrive as JS values, so a non-string gets the contract's error rather than an
// embind exception.
val not_text(const char* what) { return to_js_string(slotbook::error_json(not_text_error(what))); }

val slots(const val& snapshot, const val& query) {
  if (!snapshot.isString()) return not_text("snapshot");
  if (!query.isString()) return not_text("query");
  Session& s = session();
  s.use(snapshot);
  return to_js_string(s.cache.slots(query.as<std::string>()).json);
}

val validate(const val& snapshot, const val& booking) {
  if (!snapshot.isString()) return not_text("snapshot");
  if (!booking.isString()) return not_text("booking");
  Session& s = session();
  s.use(snapshot);
  return to_js_string(s.cache.validate(booking.as<std::string>()).json);
}

// ---- plain values for the widget -------------------------------------------------------

// The contract's {error: {code, message}} as a JS object.
val error_value(const slotbook::Error& error) {
  val detail = val::object();
  detail.set("code", std::string(slotbook::to_string(error.code)));
  detail.set("message", error.message);
  val answer = val::object();
  answer.set("error", detail);
  return answer;
}

template <typename T>
val view(const std::vector<T>& column) {
  return val(emscripten::typed_memory_view(column.size(), column.data()));
}

// The listing of `query` as columns (slot_table.h) plus the listing's header, the same
// values the JSON listing has; errors exactly as slots() answers them.
val slot_table(const val& snapshot, const val& query) {
  if (!snapshot.isString()) return error_value(not_text_error("snapshot"));
  if (!query.isString()) return error_value(not_text_error("query"));
  Session& s = session();
  s.use(snapshot);
  slotbook::Result<slotbook::SlotAnswer> listing = s.cache.slot_list(query.as<std::string>());
  if (!listing.ok()) return error_value(listing.error());
  const slotbook::Snapshot& parsed = *listing->snapshot;
  const slotbook::SlotQuery& asked = listing->query;
  val answer = val::object();
  answer.set("clinicId", parsed.clinic_id);
  answer.set("appointmentType", listing->list.type.id);
  answer.set("practitionerId", asked.practitioner_id.value_or("any"));
  answer.set("startDate", slotbook::format_date(asked.start_date));
  answer.set("endDate", slotbook::format_date(asked.end_date));
  answer.set("timezone", parsed.zone.name());
  answer.set("durationMinutes", listing->list.type.duration_minutes);
  s.table = slotbook::make_slot_table(parsed, std::move(listing->list));
  const slotbook::SlotTable& t = s.table;
  answer.set("dayDate", view(t.day_date));
  answer.set("dayWeekday", view(t.day_weekday));
  answer.set("dayFirstSlot", view(t.day_first_slot));
  answer.set("daySlotCount", view(t.day_slot_count));
  answer.set("slotStartMs", view(t.slot_start_ms));
  answer.set("slotEndMs", view(t.slot_end_ms));
  answer.set("slotStartMinute", view(t.slot_start_minute));
  answer.set("slotEndMinute", view(t.slot_end_minute));
  answer.set("slotFirstPractitioner", view(t.slot_first_practitioner));
  answer.set("slotPractitionerCount", view(t.slot_practitioner_count));
  answer.set("practitioners", view(t.practitioners));
  return answer;
}

// The snapshot's practitioner ids in its order (sorted by id): what the practitioner
// indices of _slotTable point into. Asked once per snapshot, not per listing.
val practitioner_ids(const val& snapshot) {
  if (!snapshot.isString()) return error_value(not_text_error("snapshot"));
  Session& s = session();
  s.use(snapshot);
  slotbook::Result<const slotbook::Snapshot*> parsed = s.cache.snapshot();
  if (!parsed.ok()) return error_value(parsed.error());
  val ids = val::array();
  for (const slotbook::Practitioner& p : (*parsed)->practitioners) ids.call<void>("push", p.id);
  return ids;
}

// The last clinic date ("YYYY-MM-DD") a start of `type` may fall on when asked at `now`
// (RFC 3339). Errors in the contract's order: the snapshot's, invalid_query for `now`,
// unknown_appointment_type.
val last_bookable_date(const val& snapshot, const val& type, const val& now) {
  if (!snapshot.isString()) return error_value(not_text_error("snapshot"));
  Session& s = session();
  s.use(snapshot);
  slotbook::Result<const slotbook::Snapshot*> parsed = s.cache.snapshot();
  if (!parsed.ok()) return error_value(parsed.error());
  std::optional<slotbook::Instant> at;
  if (now.isString()) at = slotbook::parse_instant(now.as<std::string>());
  if (!at) {
    return error_value(slotbook::make_error(slotbook::ErrorCode::kInvalidQuery,
                                            "now must be an RFC 3339 instant with seconds"));
  }
  if (!type.isString()) {
    return error_value(slotbook::make_error(slotbook::ErrorCode::kInvalidQuery,
                                            "the appointment type must be a string"));
  }
  slotbook::Result<slotbook::LocalDate> last =
      slotbook::last_bookable_date(**parsed, type.as<std::string>(), *at);
  if (!last.ok()) return error_value(last.error());
  return val(slotbook::format_date(*last));
}

}  // namespace

EMSCRIPTEN_BINDINGS(slot_engine) {
  emscripten::function("slots", &slots);
  emscripten::function("validate", &validate);
  emscripten::function("_slotTable", &slot_table);
  emscripten::function("_practitionerIds", &practitioner_ids);
  emscripten::function("_lastBookableDate", &last_bookable_date);
  emscripten::constant("_maxQueryRangeDays", slotbook::kMaxQueryRangeDays);
}
