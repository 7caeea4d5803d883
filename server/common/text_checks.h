// Checks of text that arrives from outside (requests, clinic configurations): strict dates
// and times of day, lengths in characters, plausible addresses and language tags. One
// owner, so a request field and a configuration field are read the same way.
#ifndef SLOTBOOK_SERVER_COMMON_TEXT_CHECKS_H_
#define SLOTBOOK_SERVER_COMMON_TEXT_CHECKS_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "slotbook/time.h"

namespace slotbook::server {

// The one reading of dates and times of day in request fields and parameters.
std::optional<LocalDate> parse_strict_date(std::string_view text);  // exactly YYYY-MM-DD
std::optional<int> parse_strict_time(std::string_view text);        // HH:MM[:00], < 24:00

std::size_t utf8_length(std::string_view text);
// A plausible address: one '@', something before it, a dot in the domain, no spaces.
bool looks_like_email(std::string_view text);
// A well-formed BCP 47 language tag as browsers report them: a 2-3 letter language, then
// subtags of 1-8 letters or digits, joined by '-' ("en", "es-MX", "zh-Hant-TW").
bool is_language_tag(std::string_view text);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_TEXT_CHECKS_H_
