// Fast one-shot compression of response bodies: brotli at quality 5 and gzip at zlib's
// default level. An empty result means compression failed (send the original).
#ifndef SLOTBOOK_SERVER_COMMON_COMPRESS_H_
#define SLOTBOOK_SERVER_COMMON_COMPRESS_H_

#include <string>

namespace slotbook::server {

std::string brotli_compress(const std::string& data);
std::string gzip_compress(const std::string& data);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_COMMON_COMPRESS_H_
