#include "http/compression.h"

#include "common/compress.h"

namespace slotbook::server {
namespace {

constexpr std::size_t kMinCompressBytes = 512;

bool accepts(const std::string& accept_encoding, const char* name) {
  // Token match, ignoring q-values other than an explicit q=0.
  std::size_t pos = 0;
  const std::string token = name;
  while ((pos = accept_encoding.find(token, pos)) != std::string::npos) {
    const bool starts =
        pos == 0 || accept_encoding[pos - 1] == ' ' || accept_encoding[pos - 1] == ',';
    const std::size_t end = pos + token.size();
    const bool ends = end == accept_encoding.size() || accept_encoding[end] == ',' ||
                      accept_encoding[end] == ';' || accept_encoding[end] == ' ';
    if (starts && ends) {
      const std::size_t next = accept_encoding.find(',', end);
      const std::string params = accept_encoding.substr(end, next - end);
      return params.find("q=0") == std::string::npos || params.find("q=0.") != std::string::npos;
    }
    pos = end;
  }
  return false;
}

bool compressible(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.rfind("application/json", 0) == 0 ||
         content_type.rfind("application/javascript", 0) == 0 ||
         content_type.rfind("application/wasm", 0) == 0 ||
         content_type.rfind("image/svg+xml", 0) == 0;
}

}  // namespace

Encoding preferred_encoding(const httplib::Request& req, bool brotli_available,
                            bool gzip_available) {
  const std::string accept = req.get_header_value("Accept-Encoding");
  if (brotli_available && accepts(accept, "br")) return Encoding::kBrotli;
  if (gzip_available && accepts(accept, "gzip")) return Encoding::kGzip;
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

void send_prepared(httplib::Response& res, std::shared_ptr<const std::string> body,
                   const std::string& content_type, Encoding encoding) {
  if (encoding != Encoding::kIdentity) res.set_header("Content-Encoding", encoding_name(encoding));
  res.headers.erase("Content-Type");  // set_content / set_content_provider set it again
  const std::size_t size = body->size();
  // httplib never ends a zero-length provider (it waits for data forever), so an empty
  // body is sent as plain content.
  if (size == 0) {
    res.set_content("", content_type);
    return;
  }
  res.set_content_provider(size, content_type.c_str(),
                           [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return true;
                           });
}

void compress_response(const httplib::Request& req, httplib::Response& res) {
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
