// JSON text from outside parsed strictly: besides being JSON, an object may not name a key
// twice. A duplicate is refused rather than resolved, because two readers of the same text
// could otherwise disagree on which value counts (nlohmann keeps the last).
#ifndef SLOTBOOK_SERVER_COMMON_STRICT_JSON_H_
#define SLOTBOOK_SERVER_COMMON_STRICT_JSON_H_

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace slotbook::server {

// nullopt when `text` is not JSON or repeats a key within one object. Never throws.
std::optional<nlohmann::json> parse_strict_json(std::string_view text);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_STRICT_JSON_H_
