// PreparedBody: a response body built once and served many times (the widget snapshot,
// the published FHIR files), with its strong ETag and its compressed forms. Each
// compressed form is made by the first request that asks for it and then kept: most
// clients share one encoding (br over HTTPS, gzip over plain HTTP), and a large body takes
// milliseconds to compress. Immutable once built; thread-safe.
#ifndef SLOTBOOK_SERVER_COMMON_PREPARED_BODY_H_
#define SLOTBOOK_SERVER_COMMON_PREPARED_BODY_H_

#include <memory>
#include <mutex>
#include <string>

namespace slotbook::server {

class PreparedBody {
 public:
  explicit PreparedBody(std::string body);
  const std::shared_ptr<const std::string> body;
  const std::string etag;  // strong, quoted, of `body`
  // The body compressed; empty when compression failed (send `body`).
  std::shared_ptr<const std::string> brotli() const;
  std::shared_ptr<const std::string> gzip() const;

 private:
  mutable std::once_flag brotli_once_, gzip_once_;
  mutable std::shared_ptr<const std::string> brotli_, gzip_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_PREPARED_BODY_H_
