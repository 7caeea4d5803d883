#include "common/log_text.h"

namespace slotbook::server {

std::string log_text(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += '\\';
      if (c == '\\') {
        out += '\\';  // so an escape in the input cannot pass for one of ours
        continue;
      }
      out += 'x';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace slotbook::server
