#include "http/request_fields.h"

#include <regex>

#include <algorithm>
#include <cctype>

namespace slotbook::server {

std::optional<LocalDate> parse_strict_date(std::string_view text) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  const std::string copy(text);
  if (!std::regex_match(copy, kDate)) return std::nullopt;
  return parse_date(copy);
}

std::optional<int> parse_strict_time(std::string_view text) {
  static const std::regex kTime(R"((\d{2}):(\d{2})(:00)?)");
  const std::string copy(text);
  std::smatch m;
  if (!std::regex_match(copy, m, kTime)) return std::nullopt;
  auto minutes = parse_time_of_day(m[1].str() + ":" + m[2].str());
  if (!minutes || *minutes >= 24 * 60) return std::nullopt;
  return minutes;
}

std::optional<LocalDate> FieldReader::date(const char* name, bool required, const char* message) {
  auto value = text(name, required, 32);
  if (!value) return std::nullopt;
  auto date = parse_strict_date(*value);
  if (!date) fail(name, message);
  return date;
}

std::optional<int> FieldReader::time_of_day(const char* name, bool required, const char* message) {
  auto value = text(name, required, 32);
  if (!value) return std::nullopt;
  auto minutes = parse_strict_time(*value);
  if (!minutes) fail(name, message);
  return minutes;
}

std::size_t utf8_length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool looks_like_email(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = text.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}

bool is_language_tag(std::string_view text) {
  std::size_t start = 0;
  for (int subtag = 0; start <= text.size(); ++subtag) {
    const std::size_t dash = std::min(text.find('-', start), text.size());
    const std::string_view part = text.substr(start, dash - start);
    const bool letters = std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalpha(static_cast<unsigned char>(c));
    });
    const bool alphanumeric = std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c));
    });
    const bool ok = subtag == 0 ? letters && part.size() >= 2 && part.size() <= 3
                                : alphanumeric && !part.empty() && part.size() <= 8;
    if (!ok) return false;
    if (dash == text.size()) return true;
    start = dash + 1;
  }
  return false;
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
