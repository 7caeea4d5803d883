// The staff and partner API key (environment variable CALENDAR_API_KEY), compared in
// constant time. With no key configured every check fails: those endpoints are closed,
// never open.
#ifndef SLOTBOOK_SERVER_HTTP_API_KEY_H_
#define SLOTBOOK_SERVER_HTTP_API_KEY_H_

#include <string>

#include <nlohmann/json.hpp>

#include "http/net/message.h"

namespace slotbook::server {

// Whether the request carries `expected`: in X-API-Key, in "Authorization: Bearer KEY",
// or (when `body` is an object) in its "api_key" field. The header wins when both are sent.
bool has_api_key(const Request& req, const nlohmann::json* body, const std::string& expected);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_HTTP_API_KEY_H_
