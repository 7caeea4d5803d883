#include "json_fields.h"

#include <limits>

namespace slotbook::internal {

std::optional<std::int64_t> as_int64(const nlohmann::json& value) {
  if (value.is_number_unsigned()) {
    auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

Fields::Fields(const nlohmann::json& object, ErrorCode code, std::string where)
    : object_(object), code_(code), where_(std::move(where)) {
  if (!object_.is_object()) fail(where_ + " must be an object");
}

void Fields::fail(const std::string& message) {
  if (!error_) error_ = Error{code_, message};
}

bool Fields::has(const char* key) const {
  return object_.is_object() && object_.find(key) != object_.end();
}

std::string Fields::name(const char* key) const {
  return where_.empty() ? std::string(key) : where_ + "." + key;
}

const nlohmann::json* Fields::find(const char* key, bool required) {
  if (!object_.is_object()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) fail(name(key) + " is required");
    return nullptr;
  }
  return &*it;
}

std::string Fields::string(const char* key) {
  const nlohmann::json* value = find(key, true);
  if (!value) return {};
  if (!value->is_string()) {
    fail(name(key) + " must be a string");
    return {};
  }
  return value->get<std::string>();
}

std::optional<std::string> Fields::optional_string(const char* key) {
  const nlohmann::json* value = find(key, false);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    fail(name(key) + " must be a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

int Fields::integer(const char* key, int lowest, int highest, std::optional<int> fallback) {
  const nlohmann::json* value = find(key, !fallback.has_value());
  if (!value) return fallback.value_or(lowest);
  auto number = as_int64(*value);
  if (!number) {
    fail(name(key) + " must be an integer");
    return lowest;
  }
  if (*number < lowest || *number > highest) {
    fail(name(key) + " must be between " + std::to_string(lowest) + " and " +
         std::to_string(highest));
    return lowest;
  }
  return static_cast<int>(*number);
}

const nlohmann::json* Fields::array(const char* key, bool required) {
  const nlohmann::json* value = find(key, required);
  if (value && !value->is_array()) {
    fail(name(key) + " must be an array");
    return nullptr;
  }
  return value;
}

const nlohmann::json* Fields::object(const char* key, bool required) {
  const nlohmann::json* value = find(key, required);
  if (value && !value->is_object()) {
    fail(name(key) + " must be an object");
    return nullptr;
  }
  return value;
}

}  // namespace slotbook::internal
