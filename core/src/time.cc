// Hand-rolled parsers for the contract's three fixed formats. They are strict on shape
// (the contract calls "2026-12-01T14:00Z" malformed) and avoid <sstream>/date::parse, which
// would pull iostreams into the WebAssembly build.
#include "slotbook/time.h"

#include <cstdio>

namespace slotbook {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at `text[pos]`; false if any is not a digit.
bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!is_digit(c)) return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

std::optional<date::year_month_day> parse_ymd(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (!read_digits(text, 0, 4, y) || !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

char* write_2(char* out, int value) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
  return out + 2;
}

char* write_ymd(char* out, date::year_month_day ymd) {
  int y = static_cast<int>(ymd.year());
  if (y >= 0 && y <= 9999) {
    out = write_2(write_2(out, y / 100), y % 100);
  } else {  // an instant just outside 0000..9999 after applying an offset
    out += std::snprintf(out, 8, "%05d", y);
  }
  *out++ = '-';
  out = write_2(out, static_cast<int>(static_cast<unsigned>(ymd.month())));
  *out++ = '-';
  return write_2(out, static_cast<int>(static_cast<unsigned>(ymd.day())));
}

}  // namespace

std::optional<LocalDate> parse_date(std::string_view text) {
  auto ymd = parse_ymd(text);
  if (!ymd) return std::nullopt;
  return LocalDate{*ymd};
}

std::optional<Instant> parse_instant(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.f+](Z|+HH:MM|-HH:MM); RFC 3339 allows lower-case t and z.
  if (text.size() < 20) return std::nullopt;
  auto ymd = parse_ymd(text.substr(0, 10));
  if (!ymd) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't') return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (!read_digits(text, 11, 2, hh) || text[13] != ':' || !read_digits(text, 14, 2, mm) ||
      text[16] != ':' || !read_digits(text, 17, 2, ss)) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t first = pos;
    int digits = 0;
    bool finer_nonzero = false;
    while (pos < text.size() && is_digit(text[pos])) {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      } else if (text[pos] != '0') {
        finer_nonzero = true;
      }
      ++pos;
    }
    if (pos == first) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
    if (finer_nonzero) ++micros;  // round up: see the header
  }
  if (pos >= text.size()) return std::nullopt;
  int offset_minutes = 0;
  char zone = text[pos];
  if (zone == 'Z' || zone == 'z') {
    ++pos;
  } else if (zone == '+' || zone == '-') {
    int oh = 0, om = 0;
    if (!read_digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (zone == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  auto local = date::sys_days{*ymd} + std::chrono::hours{hh} + Minutes{mm} + Seconds{ss};
  return Instant{local - Minutes{offset_minutes}} + Micros{micros};
}

std::optional<int> parse_time_of_day(std::string_view text) {
  int hh = 0, mm = 0;
  if (text.size() != 5 || text[2] != ':' || !read_digits(text, 0, 2, hh) ||
      !read_digits(text, 3, 2, mm)) {
    return std::nullopt;
  }
  if (mm > 59 || hh > 24 || (hh == 24 && mm != 0)) return std::nullopt;
  return hh * 60 + mm;
}

char* write_date(char* out, LocalDate date) { return write_ymd(out, date::year_month_day{date}); }

char* write_instant(char* out, Instant instant) {
  auto seconds = date::floor<Seconds>(instant);
  auto days = date::floor<date::days>(seconds);
  date::hh_mm_ss<Seconds> tod{seconds - days};
  out = write_ymd(out, date::year_month_day{days});
  *out++ = 'T';
  out = write_2(out, static_cast<int>(tod.hours().count()));
  *out++ = ':';
  out = write_2(out, static_cast<int>(tod.minutes().count()));
  *out++ = ':';
  out = write_2(out, static_cast<int>(tod.seconds().count()));
  auto fraction = (instant - seconds).count();
  if (fraction != 0) out += std::snprintf(out, 9, ".%06lld", static_cast<long long>(fraction));
  *out++ = 'Z';
  return out;
}

int minute_of_day(LocalTime time) {
  // One 64-bit remainder, the rest in 32 bits: WebAssembly engines divide 64-bit integers by
  // a constant about ten times slower than native code, and this runs for every slot.
  auto second = static_cast<int>(time.time_since_epoch().count() % 86400);
  if (second < 0) second += 86400;
  return second / 60;
}

char* write_hh_mm(char* out, LocalTime time) {
  const int minutes = minute_of_day(time);
  out = write_2(out, minutes / 60);
  *out++ = ':';
  return write_2(out, minutes % 60);
}

namespace {

template <typename T>
std::string format_with(char* (*write)(char*, T), T value) {
  char buffer[kMaxFormattedLength];
  return std::string(buffer, write(buffer, value));
}

}  // namespace

std::string format_date(LocalDate date) { return format_with(write_date, date); }
std::string format_instant(Instant instant) { return format_with(write_instant, instant); }
std::string format_hh_mm(LocalTime time) { return format_with(write_hh_mm, time); }

std::string_view weekday_name(LocalDate date) {
  static constexpr std::string_view kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
  return kNames[weekday_index(date)];
}

int weekday_index(LocalDate date) {
  // iso_encoding: Monday = 1 .. Sunday = 7.
  return static_cast<int>(date::weekday{date}.iso_encoding()) - 1;
}

}  // namespace slotbook
