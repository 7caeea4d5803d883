// A connection's OAuth tokens at rest: JSON {"access_token", "refresh_token"} sealed with
// the server key (AES-256-GCM, tokens.h), base64. The database alone never shows a token.
#ifndef SLOTBOOK_SERVER_CALENDARS_CONNECTION_TOKENS_H_
#define SLOTBOOK_SERVER_CALENDARS_CONNECTION_TOKENS_H_

#include <optional>
#include <string>
#include <string_view>

namespace slotbook::server {

struct ConnectionTokens {
  std::string access_token;
  std::string refresh_token;
};

std::string seal_tokens(std::string_view server_key, const ConnectionTokens& tokens);
// nullopt: not sealed with this key, or altered.
std::optional<ConnectionTokens> open_tokens(std::string_view server_key, std::string_view sealed);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CONNECTION_TOKENS_H_
