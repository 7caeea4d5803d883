// Unions and differences of spans on the UTC time line, for busy times from several
// sources. Pure.
#ifndef SLOTBOOK_SERVER_CALENDARS_SPAN_MATH_H_
#define SLOTBOOK_SERVER_CALENDARS_SPAN_MATH_H_

#include <vector>

#include "booking/booking_record.h"

namespace slotbook::server {

// `spans` clipped to `window`, empty ones dropped, sorted, overlapping or touching ones
// merged.
std::vector<TimeWindow> normalized_spans(std::vector<TimeWindow> spans, TimeWindow window);

// What of `spans` (normalized) is not covered by `holes`, normalized.
std::vector<TimeWindow> subtract_spans(const std::vector<TimeWindow>& spans,
                                       std::vector<TimeWindow> holes);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_SPAN_MATH_H_
