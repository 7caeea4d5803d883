// Access tokens for a practitioner's Google or Microsoft connection, fresh when used: a
// token that expires within kRefreshAhead (or that the provider just refused) is refreshed
// with the refresh token first and the new tokens are stored sealed. A refresh the
// provider refuses for good (invalid_grant: the practitioner revoked the grant, or it
// expired) marks the connection broken: it is not used again until connected anew, and
// nothing that depends on it (booking) waits for it.
//
// Thread-safe; refreshes of one connection in this process are serialized, so two jobs
// never spend one refresh token at once.
#ifndef SLOTBOOK_SERVER_CALENDARS_CONNECTION_ACCESS_H_
#define SLOTBOOK_SERVER_CALENDARS_CONNECTION_ACCESS_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "calendars/oauth.h"
#include "calendars/provider_result.h"
#include "calendars/provider_settings.h"
#include "common/clock.h"
#include "storage/storage.h"

namespace slotbook::server {

inline constexpr std::string_view kGoogle = "google";
inline constexpr std::string_view kMicrosoft = "microsoft";
inline constexpr std::string_view kIcs = "ics";
inline constexpr std::string_view kConnected = "connected";
inline constexpr std::string_view kBroken = "broken";

class ConnectionAccess {
 public:
  static constexpr auto kRefreshAhead = std::chrono::minutes(2);

  ConnectionAccess(Storage& storage, const Clock& clock, const ProviderSettings& settings,
                   std::string server_key)
      : storage_(storage), clock_(clock), settings_(settings), server_key_(std::move(server_key)) {}

  // Runs `call` with a fresh access token of `connection` (updated in place when tokens are
  // refreshed or it breaks). When the provider answers kUnauthorized, refreshes once and
  // runs `call` again. Fails kUnauthorized when the connection is or becomes broken.
  template <typename T>
  ProviderResult<T> with_token(CalendarConnectionRecord& connection,
                               const std::function<ProviderResult<T>(const std::string&)>& call) {
    auto token = access_token(connection, false);
    if (!token.ok()) return token.error();
    auto result = call(*token);
    if (result.ok() || result.error().kind != ProviderFailure::Kind::kUnauthorized) return result;
    token = access_token(connection, true);
    if (!token.ok()) return token.error();
    return call(*token);
  }

  // The OAuth app and protocol of a connection's provider.
  OAuthProvider provider_of(const CalendarConnectionRecord& connection) const;
  const OAuthApp& app_of(const CalendarConnectionRecord& connection) const;

 private:
  ProviderResult<std::string> access_token(CalendarConnectionRecord& connection, bool force);
  // Stores what a refresh changed (tokens, expiry, status, error) on the stored row.
  void store(const CalendarConnectionRecord& connection);

  Storage& storage_;
  const Clock& clock_;
  const ProviderSettings& settings_;
  const std::string server_key_;
  std::mutex refreshing_;
};

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_CALENDARS_CONNECTION_ACCESS_H_
