#include "http/net/message.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace slotbook::server {
namespace {

std::string first_value(const Headers& headers, const std::string& name) {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

bool has_line_break(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The number that `digits` hex digits at `text[at]` spell, or -1.
long hex_number(std::string_view text, std::size_t at, std::size_t digits) {
  if (at + digits > text.size()) return -1;
  long value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const int digit = hex_value(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void append_utf8(std::string& out, unsigned long code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool Request::has_header(const std::string& name) const { return headers.count(name) > 0; }

std::string Request::get_header_value(const std::string& name) const {
  return first_value(headers, name);
}

bool Request::has_param(const std::string& name) const { return params.count(name) > 0; }

std::string Request::get_param_value(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

bool Response::has_header(const std::string& name) const { return headers.count(name) > 0; }

std::string Response::get_header_value(const std::string& name) const {
  return first_value(headers, name);
}

void Response::set_header(const std::string& name, const std::string& value) {
  if (has_line_break(name) || has_line_break(value)) return;
  headers.emplace(name, value);
}

void Response::set_content(std::string content, const std::string& content_type) {
  body = std::move(content);
  shared_body.reset();
  headers.erase("Content-Type");
  set_header("Content-Type", content_type);
}

void Response::set_shared_content(std::shared_ptr<const std::string> content,
                                  const std::string& content_type) {
  body.clear();
  shared_body = std::move(content);
  headers.erase("Content-Type");
  set_header("Content-Type", content_type);
}

std::string decode_url(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 1 < text.size() && text[i + 1] == 'u') {
      const long code_point = hex_number(text, i + 2, 4);
      if (code_point >= 0) {
        append_utf8(out, static_cast<unsigned long>(code_point));
        i += 5;
        continue;
      }
    } else if (c == '%') {
      const long byte = hex_number(text, i + 1, 2);
      if (byte >= 0) {
        out += static_cast<char>(byte);
        i += 2;
        continue;
      }
    } else if (c == '+' && plus_as_space) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

Params parse_query(std::string_view query) {
  Params params;
  std::set<std::string_view> seen;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    if (pair.empty() || !seen.insert(pair).second) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view name = pair.substr(0, equals);
    if (name.empty()) continue;
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    params.emplace(decode_url(name, true), decode_url(value, true));
  }
  return params;
}

void parse_target(Request& req) {
  const std::size_t question = req.target.find('?');
  req.path = decode_url(std::string_view(req.target).substr(0, question), false);
  req.params.clear();
  if (question != std::string::npos) {
    req.params = parse_query(std::string_view(req.target).substr(question + 1));
  }
}

}  // namespace slotbook::server
