#include "common/text_checks.h"

#include <algorithm>
#include <cctype>
#include <regex>

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

}  // namespace slotbook::server
