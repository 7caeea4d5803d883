// HTTP dates (RFC 9110 section 5.6.7): the IMF-fixdate form, "Sun, 06 Nov 1994 08:49:37
// GMT", for Last-Modified and If-Modified-Since.
#ifndef SLOTBOOK_SERVER_HTTP_HTTP_DATE_H_
#define SLOTBOOK_SERVER_HTTP_HTTP_DATE_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace slotbook::server {

std::string format_http_date(UtcSeconds time);
// An IMF-fixdate; nullopt for anything else (the obsolete forms included: a validator
// that cannot be read is ignored, and the full body is sent).
std::optional<UtcSeconds> parse_http_date(std::string_view text);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_HTTP_DATE_H_
