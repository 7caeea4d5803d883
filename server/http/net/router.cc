#include "http/net/router.h"

#include <array>
#include <string_view>

namespace slotbook::server {

Router& Router::Get(const std::string& pattern, Handler handler) {
  return add("GET", pattern, std::move(handler));
}
Router& Router::Post(const std::string& pattern, Handler handler) {
  return add("POST", pattern, std::move(handler));
}
Router& Router::Put(const std::string& pattern, Handler handler) {
  return add("PUT", pattern, std::move(handler));
}
Router& Router::Patch(const std::string& pattern, Handler handler) {
  return add("PATCH", pattern, std::move(handler));
}
Router& Router::Delete(const std::string& pattern, Handler handler) {
  return add("DELETE", pattern, std::move(handler));
}
Router& Router::Options(const std::string& pattern, Handler handler) {
  return add("OPTIONS", pattern, std::move(handler));
}

Router& Router::add(const char* method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, std::regex(pattern), std::move(handler)});
  return *this;
}

bool Router::dispatch(Request& req, Response& res) const {
  static constexpr std::array<std::string_view, 7> kRoutable = {"GET",   "HEAD",   "POST",   "PUT",
                                                                "PATCH", "DELETE", "OPTIONS"};
  bool routable = false;
  for (std::string_view method : kRoutable) routable = routable || req.method == method;
  if (!routable) {
    res.status = 400;
    return false;
  }
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  for (const Route& route : routes_) {
    if (route.method != method || !std::regex_match(req.path, req.matches, route.pattern)) {
      continue;
    }
    route.handler(req, res);
    if (res.status == -1) res.status = 200;
    return true;
  }
  res.status = 404;
  return false;
}

}  // namespace slotbook::server
