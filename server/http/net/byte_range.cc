#include "http/net/byte_range.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slotbook::server {
namespace {

struct ByteRange {
  bool satisfiable = false;
  std::size_t offset = 0;
  std::size_t length = 0;
};

std::optional<std::uint64_t> parse_digits(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The single byte range `header` asks of a `size`-byte body (RFC 9110 14.1.2). nullopt
// when the header is not one range of bytes: the whole body is sent, as the RFC allows.
std::optional<ByteRange> single_byte_range(std::string_view header, std::size_t size) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  header.remove_prefix(kUnit.size());
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos || header.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view first_text = header.substr(0, dash);
  const std::string_view last_text = header.substr(dash + 1);
  ByteRange range;
  if (first_text.empty()) {  // the last N bytes
    auto suffix = parse_digits(last_text);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) return range;
    range.length = static_cast<std::size_t>(std::min<std::uint64_t>(*suffix, size));
    range.offset = size - range.length;
    range.satisfiable = true;
    return range;
  }
  auto first = parse_digits(first_text);
  if (!first) return std::nullopt;
  std::uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    auto given = parse_digits(last_text);
    if (!given || *given < *first) return std::nullopt;
    last = std::min(last, *given);
  }
  if (*first >= size) return range;
  range.offset = static_cast<std::size_t>(*first);
  range.length = static_cast<std::size_t>(last - *first + 1);
  range.satisfiable = true;
  return range;
}

}  // namespace

void apply_range(const Request& req, Response& res, std::size_t size, std::size_t* offset,
                 std::size_t* length) {
  if (res.status != 200 || req.method != "GET" || !req.has_header("Range")) return;
  auto range = single_byte_range(req.get_header_value("Range"), size);
  if (!range) return;
  if (!range->satisfiable) {
    res.status = 416;
    res.headers.erase("Content-Type");
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    *offset = 0;
    *length = 0;
    return;
  }
  res.status = 206;
  res.set_header("Content-Range", "bytes " + std::to_string(range->offset) + "-" +
                                      std::to_string(range->offset + range->length - 1) + "/" +
                                      std::to_string(size));
  *offset = range->offset;
  *length = range->length;
}

}  // namespace slotbook::server
