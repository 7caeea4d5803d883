// Bindings only: the engine's JSON text API for JavaScript (see web/src/engine.js for the
// public wrapper). Answers, errors included, come back as the contract's JSON text, so no
// C++ exception or object ever crosses into JS.
#include <emscripten/bind.h>

#include <string>

#include "slotbook/json_api.h"

namespace {

// WebAssembly has no tz database: snapshots must carry "zone_rules" (slot-engine prepare).
slotbook::SnapshotCache& session() {
  static slotbook::SnapshotCache cache(nullptr);
  return cache;
}

std::string slots(const std::string& snapshot, const std::string& query) {
  return session().slots(snapshot, query).json;
}

std::string validate(const std::string& snapshot, const std::string& booking) {
  return session().validate(snapshot, booking).json;
}

}  // namespace

EMSCRIPTEN_BINDINGS(slot_engine) {
  emscripten::function("slots", &slots);
  emscripten::function("validate", &validate);
}
