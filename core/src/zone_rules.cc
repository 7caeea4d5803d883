#include "slotbook/zone_rules.h"

#include <algorithm>
#include <limits>

#include <date/ptz.h>
#include <nlohmann/json.hpp>

#include "json_fields.h"
#include "posix_tz.h"

namespace slotbook {
namespace {

constexpr Seconds kMaxOffset = std::chrono::hours{26};

Error zone_error(const std::string& zone, const std::string& what) {
  return make_error(ErrorCode::kInvalidSnapshot, "zone_rules for \"" + zone + "\": " + what);
}

}  // namespace

struct ZoneRules::Footer {
  explicit Footer(const std::string& text) : zone(text) {}
  Posix::time_zone zone;
};

Result<ZoneRules> ZoneRules::make(std::string zone_name, Seconds initial_offset,
                                  std::vector<ZoneTransition> transitions,
                                  std::string posix_footer) {
  if (initial_offset < -kMaxOffset || initial_offset > kMaxOffset) {
    return zone_error(zone_name, "initial_offset out of range");
  }
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    if (transitions[i].offset < -kMaxOffset || transitions[i].offset > kMaxOffset) {
      return zone_error(zone_name, "transition offset out of range");
    }
    if (i > 0 && transitions[i].at <= transitions[i - 1].at) {
      return zone_error(zone_name, "transitions must be in increasing order");
    }
  }
  ZoneRules rules;
  if (!posix_footer.empty()) {
    if (!internal::is_supported_posix_tz(posix_footer)) {
      return zone_error(zone_name, "unsupported POSIX TZ footer \"" + posix_footer + "\"");
    }
    rules.footer_ = std::make_shared<const Footer>(posix_footer);
  }
  rules.name_ = std::move(zone_name);
  rules.initial_offset_ = initial_offset;
  rules.transitions_ = std::move(transitions);
  rules.footer_text_ = std::move(posix_footer);
  return rules;
}

Result<ZoneRules> ZoneRules::from_json(const nlohmann::json& rules) {
  internal::Fields fields(rules, ErrorCode::kInvalidSnapshot, "zone_rules");
  std::string name = fields.string("zone");
  // Bounds keep every later conversion far from overflow (2^40 s is about 35,000 years).
  constexpr std::int64_t kLimit = std::int64_t{1} << 40;
  int initial = fields.integer("initial_offset", -kMaxOffset.count(), kMaxOffset.count(), {});
  const nlohmann::json* list = fields.array("transitions", true);
  std::optional<std::string> footer = fields.optional_string("posix");
  if (fields.failed()) return fields.error();
  std::vector<ZoneTransition> transitions;
  transitions.reserve(list->size());
  for (const auto& entry : *list) {
    std::optional<std::int64_t> at, offset;
    if (entry.is_array() && entry.size() == 2) {
      at = internal::as_int64(entry[0]);
      offset = internal::as_int64(entry[1]);
    }
    if (!at || !offset || *at < -kLimit || *at > kLimit) {
      return zone_error(name, "each transition must be [unix_seconds, offset_seconds]");
    }
    if (*offset < -kMaxOffset.count() || *offset > kMaxOffset.count()) {
      return zone_error(name, "transition offset out of range");
    }
    transitions.push_back({date::sys_seconds{Seconds{*at}}, Seconds{*offset}});
  }
  return make(name, Seconds{initial}, std::move(transitions), footer.value_or(""));
}

void ZoneRules::to_json(nlohmann::json& out) const {
  auto list = nlohmann::json::array();
  for (const auto& t : transitions_) {
    list.push_back({t.at.time_since_epoch().count(), t.offset.count()});
  }
  out = nlohmann::json::object();
  out["zone"] = name_;
  out["initial_offset"] = initial_offset_.count();
  out["transitions"] = std::move(list);
  out["posix"] = footer_text_;
}

ZoneRules::OffsetSpan ZoneRules::period_at(date::sys_seconds instant) const {
  auto after = std::upper_bound(
      transitions_.begin(), transitions_.end(), instant,
      [](date::sys_seconds t, const ZoneTransition& transition) { return t < transition.at; });
  const date::sys_seconds next = after == transitions_.end() ? date::sys_seconds::max() : after->at;
  if (after == transitions_.begin()) {
    return {date::sys_seconds::min(), next, initial_offset_};
  }
  const ZoneTransition& last = *(after - 1);
  if (after == transitions_.end() && footer_) {
    date::sys_info info = footer_->zone.get_info(instant);
    return {std::max(info.begin, last.at), info.end, info.offset};
  }
  return {last.at, next, last.offset};
}

ZoneRules::OffsetSpan ZoneRules::offset_span(Instant instant) const {
  return period_at(date::floor<Seconds>(instant));
}

Seconds ZoneRules::offset_at(Instant instant) const {
  return period_at(date::floor<Seconds>(instant)).offset;
}

LocalTime ZoneRules::to_local(Instant instant) const {
  auto seconds = date::floor<Seconds>(instant);
  return LocalTime{seconds.time_since_epoch() + period_at(seconds).offset};
}

Instant ZoneRules::to_instant(LocalTime local) const {
  // Offsets are within +-26 h, so every UTC instant that reads `local` lies within a day
  // of it; the offsets in force a day either side (and at it) are the only candidates.
  const date::sys_seconds naive{local.time_since_epoch()};
  const Seconds day = date::days{1};
  Seconds offsets[3] = {period_at(naive - day).offset, period_at(naive).offset,
                        period_at(naive + day).offset};
  bool found = false;
  date::sys_seconds earliest{};
  for (Seconds offset : offsets) {
    date::sys_seconds candidate = naive - offset;
    if (period_at(candidate).offset == offset && (!found || candidate < earliest)) {
      earliest = candidate;
      found = true;
    }
  }
  if (found) return Instant(earliest);
  // A gap: the clocks jumped forward over `local`. Read with the smaller (pre-jump) offset,
  // it lands after the jump, in the period the jump began.
  Seconds before = *std::min_element(std::begin(offsets), std::end(offsets));
  return Instant(period_at(naive - before).begin);
}

}  // namespace slotbook
