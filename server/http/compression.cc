#include "http/compression.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "common/compress.h"
#include "http/http_date.h"

namespace slotbook::server {
namespace {

constexpr std::size_t kMinCompressBytes = 512;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The q-value Accept-Encoding gives coding `name` (RFC 9110 12.5.3): its own entry, else
// "*", else 0 (not acceptable). Codings are case-insensitive; q defaults to 1.
double quality(std::string_view accept_encoding, std::string_view name) {
  std::optional<double> own, any;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view entry = accept_encoding.substr(0, comma);
    accept_encoding.remove_prefix(comma == std::string_view::npos ? accept_encoding.size()
                                                                  : comma + 1);
    const std::size_t semicolon = entry.find(';');
    const std::string_view coding = trim(entry.substr(0, semicolon));
    double q = 1.0;
    if (semicolon != std::string_view::npos) {
      const std::string_view param = trim(entry.substr(semicolon + 1));
      if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        const std::string value(trim(param.substr(2)));
        char* end = nullptr;
        q = std::strtod(value.c_str(), &end);
        if (end == value.c_str()) q = 0.0;  // unreadable: do not guess acceptance
      }
    }
    if (equals_ignoring_case(coding, name)) own = q;
    if (coding == "*") any = q;
  }
  return own ? *own : any.value_or(0.0);
}

bool compressible(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.rfind("application/json", 0) == 0 ||
         content_type.rfind("application/javascript", 0) == 0 ||
         content_type.rfind("application/wasm", 0) == 0 ||
         content_type.rfind("image/svg+xml", 0) == 0 ||
         content_type.rfind("application/fhir+", 0) == 0;
}

}  // namespace

Encoding preferred_encoding(const Request& req, bool brotli_available, bool gzip_available) {
  const std::string accept = req.get_header_value("Accept-Encoding");
  const double brotli = brotli_available ? quality(accept, "br") : 0.0;
  const double gzip = gzip_available ? quality(accept, "gzip") : 0.0;
  // The client's preference decides; on a tie, brotli (smaller).
  if (brotli > 0.0 && brotli >= gzip) return Encoding::kBrotli;
  if (gzip > 0.0) return Encoding::kGzip;
  return Encoding::kIdentity;
}

const char* encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kBrotli:
      return "br";
    case Encoding::kGzip:
      return "gzip";
    case Encoding::kIdentity:
      return "identity";
  }
  return "identity";
}

void send_prepared(Response& res, std::shared_ptr<const std::string> body,
                   const std::string& content_type, Encoding encoding) {
  if (encoding != Encoding::kIdentity) res.set_header("Content-Encoding", encoding_name(encoding));
  res.set_shared_content(std::move(body), content_type);
}

void send_prepared_body(const Request& req, Response& res, const PreparedBody& prepared,
                        const std::string& content_type, std::optional<UtcSeconds> last_modified) {
  res.set_header("ETag", prepared.etag);
  if (last_modified) res.set_header("Last-Modified", format_http_date(*last_modified));
  const std::string if_none_match = req.get_header_value("If-None-Match");
  bool unchanged = !if_none_match.empty() && if_none_match == prepared.etag;
  if (if_none_match.empty() && last_modified) {
    auto since = parse_http_date(req.get_header_value("If-Modified-Since"));
    unchanged = since && *last_modified <= *since;
  }
  if (unchanged) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_header("Vary", "Accept-Encoding");
  Encoding encoding = preferred_encoding(req);
  std::shared_ptr<const std::string> body = encoding == Encoding::kBrotli ? prepared.brotli()
                                            : encoding == Encoding::kGzip ? prepared.gzip()
                                                                          : prepared.body;
  if (body->empty()) {  // compression failed: the plain body
    body = prepared.body;
    encoding = Encoding::kIdentity;
  }
  send_prepared(res, std::move(body), content_type, encoding);
}

void compress_response(const Request& req, Response& res) {
  const std::string content_type = res.get_header_value("Content-Type");
  if (res.body.empty() || req.method == "HEAD" || res.has_header("Content-Encoding")) return;
  if (compressible(content_type)) res.set_header("Vary", "Accept-Encoding");
  Encoding encoding = Encoding::kIdentity;
  std::string compressed;
  if (compressible(content_type) && res.body.size() >= kMinCompressBytes) {
    encoding = preferred_encoding(req);
    if (encoding == Encoding::kBrotli) compressed = brotli_compress(res.body);
    if (encoding == Encoding::kGzip) compressed = gzip_compress(res.body);
    if (compressed.empty()) encoding = Encoding::kIdentity;
  }
  auto body = std::make_shared<const std::string>(
      encoding == Encoding::kIdentity ? std::move(res.body) : std::move(compressed));
  res.body.clear();
  send_prepared(res, std::move(body), content_type, encoding);
}

}  // namespace slotbook::server
