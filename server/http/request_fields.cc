#include "http/request_fields.h"

namespace slotbook::server {

std::optional<LocalDate> FieldReader::date(const char* name, bool required, const char* message) {
  auto value = text(name, required, 32);
  if (!value) return std::nullopt;
  auto date = parse_strict_date(*value);
  if (!date) fail(name, message);
  return date;
}

std::optional<Instant> FieldReader::instant(const char* name, bool required) {
  auto value = text(name, required, 64);
  if (!value) return std::nullopt;
  auto instant = parse_instant(*value);
  if (!instant) fail(name, "must be an RFC 3339 instant, e.g. 2026-12-01T14:00:00Z");
  return instant;
}

std::optional<int> FieldReader::time_of_day(const char* name, bool required, const char* message) {
  auto value = text(name, required, 32);
  if (!value) return std::nullopt;
  auto minutes = parse_strict_time(*value);
  if (!minutes) fail(name, message);
  return minutes;
}

const nlohmann::json* FieldReader::find(const char* name) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::has(const char* name) const { return find(name) != nullptr; }

void FieldReader::fail(const char* name, std::string message, std::string type) {
  errors_->push_back({prefix_ + name, std::move(message), std::move(type)});
}

std::optional<std::string> FieldReader::text(const char* name, bool required,
                                             std::size_t max_chars) {
  const nlohmann::json* value = find(name);
  if (!value) {
    if (required) fail(name, "field required", "missing");
    return std::nullopt;
  }
  if (!value->is_string()) {
    fail(name, "must be a string", "type_error");
    return std::nullopt;
  }
  const std::string& s = value->get_ref<const std::string&>();
  if (utf8_length(s) > max_chars) {
    fail(name, "must be at most " + std::to_string(max_chars) + " characters");
    return std::nullopt;
  }
  if (s.find('\0') != std::string::npos) {
    fail(name, "must not contain NUL characters");
    return std::nullopt;
  }
  if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) {
    fail(name, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> FieldReader::boolean(const char* name, bool required) {
  const nlohmann::json* value = find(name);
  if (!value) {
    if (required) fail(name, "field required", "missing");
    return std::nullopt;
  }
  if (!value->is_boolean()) {
    fail(name, "must be true or false", "type_error");
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<std::int64_t> FieldReader::integer(const char* name, bool required, std::int64_t min,
                                                 std::int64_t max) {
  const nlohmann::json* value = find(name);
  if (!value) {
    if (required) fail(name, "field required", "missing");
    return std::nullopt;
  }
  if (!value->is_number_integer()) {
    fail(name, "must be an integer", "type_error");
    return std::nullopt;
  }
  const auto n = value->get<std::int64_t>();
  if (value->is_number_unsigned() &&
      value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  if (n < min || n > max) {
    fail(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

const nlohmann::json* FieldReader::object(const char* name, bool required) {
  const nlohmann::json* value = find(name);
  if (!value) {
    if (required) fail(name, "field required", "missing");
    return nullptr;
  }
  if (!value->is_object()) {
    fail(name, "must be an object", "type_error");
    return nullptr;
  }
  return value;
}

}  // namespace slotbook::server
