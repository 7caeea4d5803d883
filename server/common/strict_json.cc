#include "common/strict_json.h"

#include <set>
#include <string>
#include <vector>

namespace slotbook::server {

std::optional<nlohmann::json> parse_strict_json(std::string_view text) {
  using Event = nlohmann::json::parse_event_t;
  std::vector<std::set<std::string>> keys_of_open_objects;
  bool duplicate = false;
  auto watch = [&](int, Event event, nlohmann::json& parsed) {
    switch (event) {
      case Event::object_start:
        keys_of_open_objects.emplace_back();
        break;
      case Event::key:
        if (!keys_of_open_objects.back().insert(parsed.get<std::string>()).second) {
          duplicate = true;
        }
        break;
      case Event::object_end:
        keys_of_open_objects.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  nlohmann::json parsed = nlohmann::json::parse(text, watch, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || duplicate) return std::nullopt;
  return parsed;
}

}  // namespace slotbook::server
