#include "calendars/busy_span.h"

#include <chrono>

#include "slotbook/time.h"

namespace slotbook::server {

std::optional<UtcSeconds> utc_from_rfc3339(std::string_view text, bool round_up) {
  const auto instant = parse_instant(text);
  if (!instant) return std::nullopt;
  return round_up ? std::chrono::ceil<std::chrono::seconds>(*instant)
                  : std::chrono::floor<std::chrono::seconds>(*instant);
}

std::optional<BusySpan> busy_span_from_rfc3339(std::string_view start, std::string_view end) {
  const auto from = utc_from_rfc3339(start);
  const auto to = utc_from_rfc3339(end, /*round_up=*/true);
  if (!from || !to || *to < *from) return std::nullopt;
  return BusySpan{*from, *to};
}

std::string rfc3339_utc(UtcSeconds instant) { return format_instant(Instant(instant)); }

}  // namespace slotbook::server
