// The engine's JSON side: the contract's snapshot, query and booking forms parsed into
// the typed API (engine.h, snapshot.h), and the engine as JSON text in, JSON text out:
// what the command line and the WebAssembly bindings call. Every answer is the contract's JSON: the
// slot listing, {"ok": ...}, or {"error": {"code", "message"}}. Never throws; output is
// byte-identical across builds for the same input.
#ifndef SLOTBOOK_JSON_API_H_
#define SLOTBOOK_JSON_API_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "slotbook/engine.h"
#include "slotbook/result.h"
#include "slotbook/zone_rules.h"

namespace slotbook {

// The contract's JSON forms parsed into the engine's types.
// A snapshot (JSON already parsed). The zone comes from the snapshot's "zone_rules" when
// present, else from `zones` (may be null: then a snapshot without "zone_rules" is an
// invalid_snapshot error that says so). Besides the contract's "busy", the snapshot may
// carry "busy_runs", the server's compact form of the same busy time (docs/api.md, the
// widget snapshot); both add to a practitioner's busy time alike. Errors: invalid_snapshot.
Result<Snapshot> parse_snapshot(const nlohmann::json& snapshot, const ZoneSource* zones);
// A query. Errors: invalid_query, invalid_range, range_too_large.
Result<SlotQuery> parse_slot_query(const nlohmann::json& query);
// A booking request. Errors: invalid_query.
Result<BookingRequest> parse_booking_request(const nlohmann::json& booking);

struct JsonAnswer {
  std::string json;
  bool is_error = false;  // true: `json` is {"error": ...} (the CLI exits 2)
};

// A slot listing before it is written as JSON: what slot_list_json needs.
struct SlotAnswer {
  const Snapshot* snapshot;  // the SnapshotCache's own: valid until its next use()
  SlotQuery query;
  SlotList list;
};

// `zones` may be null (WebAssembly): snapshots must then carry "zone_rules".
JsonAnswer slots_json(std::string_view snapshot, std::string_view query, const ZoneSource* zones);
JsonAnswer validate_json(std::string_view snapshot, std::string_view booking,
                         const ZoneSource* zones);
// The snapshot, checked, with "zone_rules" for its zone added (replacing any present).
JsonAnswer prepare_json(std::string_view snapshot, const ZoneSource& zones);

// Answers many questions about one snapshot text, parsing it only when the text changes
// (the widget asks for every day, type and practitioner the patient looks at). Not
// thread-safe: one per thread.
class SnapshotCache {
 public:
  explicit SnapshotCache(const ZoneSource* zones);

  // Makes `snapshot` the text later questions are about, parsing it unless it is the text
  // already held.
  void use(std::string_view snapshot);
  // Questions about the snapshot last given to use(). REQUIRES: use() was called.
  JsonAnswer slots(std::string_view query);
  JsonAnswer validate(std::string_view booking);
  // What slots(query) answers, before it is written as JSON: the listing, or the very
  // error slots() answers (same code, same message; slots() is this plus the writing).
  Result<SlotAnswer> slot_list(std::string_view query);
  // The snapshot last given to use(), parsed; or the error every question about it
  // answers first (invalid_json, invalid_snapshot). Valid until the next use().
  Result<const Snapshot*> snapshot() const;

  // use(snapshot), then the question.
  JsonAnswer slots(std::string_view snapshot, std::string_view query);
  JsonAnswer validate(std::string_view snapshot, std::string_view booking);

 private:
  // Parses the request and reports errors in the contract's order (either text not JSON,
  // then the snapshot's own errors, then the request's), then hands the snapshot and the
  // parsed request to `answer_fn`, which returns a Result<T>.
  template <typename T, typename AnswerFn>
  Result<T> answer(std::string_view request_text, const char* request_name, AnswerFn&& answer_fn);

  const ZoneSource* zones_;
  std::string text_;
  // The parsed snapshot; an invalid_json error when the text is not JSON.
  std::optional<Result<Snapshot>> parsed_;
};

// Building blocks for callers that hold parsed JSON (the server).
std::string error_json(const Error& error);
std::string slot_list_json(const Snapshot& snapshot, const SlotQuery& query, const SlotList& list);
std::string verdict_json(Refusal reason);

}  // namespace slotbook

#endif  // SLOTBOOK_JSON_API_H_
