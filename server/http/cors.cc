#include "http/cors.h"

#include <algorithm>

namespace slotbook::server {

void apply_cors(const Request& req, Response& res,
                const std::vector<std::string>& allowed_origins) {
  res.set_header("Vary", "Origin");
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return;
  const bool allowed =
      std::find(allowed_origins.begin(), allowed_origins.end(), origin) != allowed_origins.end() ||
      std::find(allowed_origins.begin(), allowed_origins.end(), "*") != allowed_origins.end();
  if (!allowed) return;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Expose-Headers", "ETag, Retry-After");
}

void answer_preflight(const Request& req, Response& res,
                      const std::vector<std::string>& allowed_origins) {
  apply_cors(req, res, allowed_origins);
  if (res.has_header("Access-Control-Allow-Origin")) {
    res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key, If-None-Match");
    res.set_header("Access-Control-Max-Age", "600");
  }
  res.status = 204;
}

}  // namespace slotbook::server
