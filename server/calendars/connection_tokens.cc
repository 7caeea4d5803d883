#include "calendars/connection_tokens.h"

#include <nlohmann/json.hpp>

#include "tokens/tokens.h"

namespace slotbook::server {

std::string seal_tokens(std::string_view server_key, const ConnectionTokens& tokens) {
  const nlohmann::json plain = {{"access_token", tokens.access_token},
                                {"refresh_token", tokens.refresh_token}};
  return to_base64(seal(server_key, plain.dump()));
}

std::optional<ConnectionTokens> open_tokens(std::string_view server_key, std::string_view sealed) {
  const auto bytes = from_base64(sealed);
  const auto plain = bytes ? open_sealed(server_key, *bytes) : std::nullopt;
  if (!plain) return std::nullopt;
  const auto json = nlohmann::json::parse(*plain, nullptr, false);
  if (!json.is_object() || !json.value("access_token", nlohmann::json()).is_string() ||
      !json.value("refresh_token", nlohmann::json()).is_string()) {
    return std::nullopt;
  }
  return ConnectionTokens{json["access_token"].get<std::string>(),
                          json["refresh_token"].get<std::string>()};
}

}  // namespace slotbook::server
