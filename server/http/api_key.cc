#include "http/api_key.h"

#include "tokens/tokens.h"

namespace slotbook::server {

bool has_api_key(const Request& req, const nlohmann::json* body, const std::string& expected) {
  std::string presented = req.get_header_value("X-API-Key");
  if (presented.empty()) {
    const std::string authorization = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.compare(0, kBearer.size(), kBearer) == 0) {
      presented = authorization.substr(kBearer.size());
    }
  }
  if (presented.empty() && body && body->is_object()) {
    auto it = body->find("api_key");
    if (it != body->end() && it->is_string()) presented = it->get<std::string>();
  }
  // Evaluate the comparison even without a configured key, so timing says nothing.
  const bool equal = constant_time_equals(presented, expected);
  return !expected.empty() && !presented.empty() && equal;
}

}  // namespace slotbook::server
