#include "common/prepared_body.h"

#include "common/compress.h"
#include "tokens/tokens.h"

namespace slotbook::server {

PreparedBody::PreparedBody(std::string text)
    : body(std::make_shared<const std::string>(std::move(text))),
      etag("\"" + sha256_hex(*body).substr(0, 32) + "\"") {}

std::shared_ptr<const std::string> PreparedBody::brotli() const {
  std::call_once(brotli_once_,
                 [&] { brotli_ = std::make_shared<const std::string>(brotli_compress(*body)); });
  return brotli_;
}

std::shared_ptr<const std::string> PreparedBody::gzip() const {
  std::call_once(gzip_once_,
                 [&] { gzip_ = std::make_shared<const std::string>(gzip_compress(*body)); });
  return gzip_;
}

}  // namespace slotbook::server
