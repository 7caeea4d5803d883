// The route table: a method and a regular expression that must match the whole decoded
// path, tried in the order registered; the first match runs. GET routes answer HEAD too
// (the transport drops the body). Patterns are compiled once, at registration.
//
// Registration is not thread-safe; dispatch() is (the table is read-only by then).
#ifndef SLOTBOOK_SERVER_HTTP_NET_ROUTER_H_
#define SLOTBOOK_SERVER_HTTP_NET_ROUTER_H_

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "http/net/message.h"

namespace slotbook::server {

class Router {
 public:
  using Handler = std::function<void(const Request&, Response&)>;

  // Adds a route for the method; `pattern` is an ECMAScript regular expression.
  Router& Get(const std::string& pattern, Handler handler);
  Router& Post(const std::string& pattern, Handler handler);
  Router& Put(const std::string& pattern, Handler handler);
  Router& Patch(const std::string& pattern, Handler handler);
  Router& Delete(const std::string& pattern, Handler handler);
  Router& Options(const std::string& pattern, Handler handler);

  // Runs the first route for req.method whose pattern matches req.path whole, with
  // req.matches set; a status the route left unset becomes 200. Returns false when no
  // route ran: res.status is then 400 for a method no route can have (CONNECT, TRACE,
  // anything unknown) and 404 otherwise. Exceptions from the route propagate.
  bool dispatch(Request& req, Response& res) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };
  Router& add(const char* method, const std::string& pattern, Handler handler);
  std::vector<Route> routes_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_NET_ROUTER_H_
