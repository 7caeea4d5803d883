// Bindings only: the engine's JSON text API for JavaScript (see web/src/engine.js for the
// public wrapper). Answers, errors included, come back as the contract's JSON text, so no
// C++ exception or object ever crosses into JS.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>

#include "slotbook/json_api.h"

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

// Arguments arrive as JS values, so a non-string gets the contract's error rather than an
// embind exception.
val not_text(const char* what) {
  return to_js_string(slotbook::error_json(slotbook::make_error(
      slotbook::ErrorCode::kInvalidJson, std::string("the ") + what + " must be JSON text")));
}

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

}  // namespace

EMSCRIPTEN_BINDINGS(slot_engine) {
  emscripten::function("slots", &slots);
  emscripten::function("validate", &validate);
}
