// CORS for the public endpoints: an Origin in the allowed list (or "*" in the list) gets
// Access-Control-Allow-Origin echoing it; other origins get no CORS headers, so browsers
// refuse to read the answer. Staff and partner endpoints never send CORS headers.
#ifndef SLOTBOOK_SERVER_HTTP_CORS_H_
#define SLOTBOOK_SERVER_HTTP_CORS_H_

#include <string>
#include <vector>

#include "http/net/message.h"

namespace slotbook::server {

void apply_cors(const Request& req, Response& res, const std::vector<std::string>& allowed_origins);
// Answers a preflight (OPTIONS) for a public endpoint: 204 with the allowed methods and
// headers when the origin is allowed, 204 without CORS headers otherwise.
void answer_preflight(const Request& req, Response& res,
                      const std::vector<std::string>& allowed_origins);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_CORS_H_
