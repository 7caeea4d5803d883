#include "http/http_date.h"

#include <sstream>

#include <date/date.h>

namespace slotbook::server {

std::string format_http_date(UtcSeconds time) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT", time);
}

std::optional<UtcSeconds> parse_http_date(std::string_view text) {
  if (text.size() != 29 || text.substr(25) != " GMT") return std::nullopt;
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  UtcSeconds time;
  in >> date::parse("%a, %d %b %Y %H:%M:%S GMT", time);
  if (in.fail() || format_http_date(time) != text) return std::nullopt;  // the exact form
  return time;
}

}  // namespace slotbook::server
