#include "posix_tz.h"

#include <cstddef>

namespace slotbook::internal {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ == text_.size(); }
  bool peek(char c) const { return !at_end() && text_[pos_] == c; }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }

  bool name() {
    std::size_t length = 0;
    if (accept('<')) {
      while (!at_end() && text_[pos_] != '>') {
        char c = text_[pos_];
        if (!is_alnum(c) && c != '+' && c != '-') return false;
        ++pos_;
        ++length;
      }
      return accept('>') && length >= 3;
    }
    while (!at_end() && is_alpha(text_[pos_])) {
      ++pos_;
      ++length;
    }
    return length >= 3;
  }

  // Up to `max_digits` digits (at least one), value <= limit.
  bool number(std::size_t max_digits, unsigned lowest, unsigned highest) {
    std::size_t count = 0;
    unsigned value = 0;
    while (count < max_digits && !at_end() && is_digit(text_[pos_])) {
      value = value * 10 + static_cast<unsigned>(text_[pos_] - '0');
      ++pos_;
      ++count;
    }
    return count > 0 && value >= lowest && value <= highest;
  }

  bool unsigned_time() {
    if (!number(2, 0, 24)) return false;
    if (accept(':')) {
      if (!number(2, 0, 59)) return false;
      if (accept(':') && !number(2, 0, 59)) return false;
    }
    return true;
  }

  bool signed_time() {
    if (!accept('-')) accept('+');
    return unsigned_time();
  }

  bool rule() {
    if (accept('J')) {
      if (!number(3, 1, 365)) return false;
    } else if (accept('M')) {
      if (!number(2, 1, 12) || !accept('.') || !number(1, 1, 5) || !accept('.') ||
          !number(1, 0, 6)) {
        return false;
      }
    } else if (!number(3, 0, 365)) {
      return false;
    }
    return !accept('/') || unsigned_time();
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  static bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

bool is_supported_posix_tz(std::string_view text) {
  Reader in(text);
  if (!in.name() || !in.signed_time()) return false;
  if (in.at_end()) return true;
  if (!in.name()) return false;
  if (!in.peek(',') && !in.signed_time()) return false;
  // A DST name without transition rules would leave ptz.h computing with unset rules.
  return in.accept(',') && in.rule() && in.accept(',') && in.rule() && in.at_end();
}

}  // namespace slotbook::internal
