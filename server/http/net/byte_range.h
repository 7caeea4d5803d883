// Byte ranges (RFC 9110 14): a GET answer narrowed to the one range a Range header asks
// for. Only a single range of bytes is honoured; anything else gets the whole body, as the
// RFC allows.
#ifndef SLOTBOOK_SERVER_HTTP_NET_BYTE_RANGE_H_
#define SLOTBOOK_SERVER_HTTP_NET_BYTE_RANGE_H_

#include <cstddef>

#include "http/net/message.h"

namespace slotbook::server {

// For a 200 answer to a GET with a Range header: 206 with Content-Range and `offset` and
// `length` of the range, or 416 (length 0) when the range lies outside the `size`-byte
// body. Any other answer, or a header that is not one range of bytes, is left as it is.
void apply_range(const Request& req, Response& res, std::size_t size, std::size_t* offset,
                 std::size_t* length);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_NET_BYTE_RANGE_H_
