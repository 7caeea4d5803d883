#include "calendars/span_math.h"

#include <algorithm>

namespace slotbook::server {
namespace {

bool by_start(const TimeWindow& a, const TimeWindow& b) {
  return a.from < b.from || (a.from == b.from && a.to < b.to);
}

}  // namespace

std::vector<TimeWindow> normalized_spans(std::vector<TimeWindow> spans, TimeWindow window) {
  std::vector<TimeWindow> out;
  std::sort(spans.begin(), spans.end(), by_start);
  for (TimeWindow span : spans) {
    span.from = std::max(span.from, window.from);
    span.to = std::min(span.to, window.to);
    if (span.to <= span.from) continue;
    if (!out.empty() && span.from <= out.back().to) {
      out.back().to = std::max(out.back().to, span.to);
    } else {
      out.push_back(span);
    }
  }
  return out;
}

std::vector<TimeWindow> subtract_spans(const std::vector<TimeWindow>& spans,
                                       std::vector<TimeWindow> holes) {
  std::sort(holes.begin(), holes.end(), by_start);
  std::vector<TimeWindow> out;
  for (const TimeWindow& span : spans) {
    UtcSeconds from = span.from;
    for (const TimeWindow& hole : holes) {
      if (hole.to <= from || hole.from >= span.to) continue;
      if (hole.from > from) out.push_back({from, hole.from});
      from = std::max(from, hole.to);
      if (from >= span.to) break;
    }
    if (from < span.to) out.push_back({from, span.to});
  }
  return out;
}

}  // namespace slotbook::server
