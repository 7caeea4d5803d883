// Checks a POSIX TZ string (the footer of a TZif file, e.g. "EST5EDT,M3.2.0,M11.1.0")
// before date/ptz.h sees it. ptz.h reports malformed strings by throwing and does not
// range-check rule fields, so everything it is given must first pass this stricter
// grammar, which accepts every footer of the current tz database that ptz.h evaluates.
#ifndef SLOTBOOK_SRC_POSIX_TZ_H_
#define SLOTBOOK_SRC_POSIX_TZ_H_

#include <string_view>

namespace slotbook::internal {

// True when `text` is: name offset [name [offset] ,rule,rule], with names of 3+ letters
// (or <...> of letters, digits, '+', '-'), offsets [+-]h[h][:mm[:ss]] up to 24 hours,
// rules Mm.w.d (m 1-12, w 1-5, d 0-6), Jn (1-365) or n (0-365), each with an optional
// /h[h][:mm[:ss]] (0-24 hours, no sign: ptz.h does not read one).
bool is_supported_posix_tz(std::string_view text);

}  // namespace slotbook::internal

#endif  // SLOTBOOK_SRC_POSIX_TZ_H_
