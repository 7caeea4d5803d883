// Response compression done once and fast (brotli at quality 11 takes about 100 ms for a
// 45 KB script, so nothing is compressed that hard per request): precompressed static
// siblings (NAME.br, NAME.gz) are served as they are, cached snapshots keep their
// compressed forms, and every other body is compressed here (brotli quality 5, else
// gzip) in one step after routing.
#ifndef SLOTBOOK_SERVER_HTTP_COMPRESSION_H_
#define SLOTBOOK_SERVER_HTTP_COMPRESSION_H_

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/prepared_body.h"
#include "http/net/message.h"

namespace slotbook::server {

enum class Encoding { kIdentity, kGzip, kBrotli };

// The best encoding the request accepts among those `available` (brotli first).
Encoding preferred_encoding(const Request& req, bool brotli_available = true,
                            bool gzip_available = true);
const char* encoding_name(Encoding encoding);  // "br", "gzip", "identity"

// Sends `body` as is (already in `encoding`), shared, without a copy.
void send_prepared(Response& res, std::shared_ptr<const std::string> body,
                   const std::string& content_type, Encoding encoding);

// Answers a GET of `prepared` as a cache validates it: its ETag, and 304 when
// If-None-Match names it (or, without If-None-Match, when If-Modified-Since is not before
// `last_modified`, if given); else the body in the best encoding the request accepts
// (Vary: Accept-Encoding). Cache-Control is the caller's.
void send_prepared_body(const Request& req, Response& res, const PreparedBody& prepared,
                        const std::string& content_type,
                        std::optional<UtcSeconds> last_modified = std::nullopt);

// The post-routing step: compresses a compressible plain body the route left in `res`.
void compress_response(const Request& req, Response& res);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_COMPRESSION_H_
