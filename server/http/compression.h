// Response compression done once and fast. cpp-httplib compresses compressible bodies
// itself, but with brotli at quality 11 (about 100 ms for a 45 KB script) on every
// request; responses that go out through a content provider of known length are left
// alone. So: precompressed static siblings (NAME.br, NAME.gz) are served as they are,
// cached snapshots keep their compressed forms, and every other body is compressed here
// (brotli quality 5, else gzip) in one post-routing step.
#ifndef SLOTBOOK_SERVER_HTTP_COMPRESSION_H_
#define SLOTBOOK_SERVER_HTTP_COMPRESSION_H_

#include <memory>
#include <string>

#include <httplib.h>

namespace slotbook::server {

enum class Encoding { kIdentity, kGzip, kBrotli };

// The best encoding the request accepts among those `available` (brotli first).
Encoding preferred_encoding(const httplib::Request& req, bool brotli_available = true,
                            bool gzip_available = true);
const char* encoding_name(Encoding encoding);  // "br", "gzip", "identity"

// Sends `body` as is (already in `encoding`), bypassing httplib's own compression.
void send_prepared(httplib::Response& res, std::shared_ptr<const std::string> body,
                   const std::string& content_type, Encoding encoding);

// The post-routing step: compresses a compressible plain body the route left in `res`.
void compress_response(const httplib::Request& req, httplib::Response& res);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_COMPRESSION_H_
