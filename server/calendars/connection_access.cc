#include "calendars/connection_access.h"

#include <spdlog/spdlog.h>

#include "calendars/connection_tokens.h"

namespace slotbook::server {

OAuthProvider ConnectionAccess::provider_of(const CalendarConnectionRecord& connection) const {
  return connection.provider == kMicrosoft ? OAuthProvider::kMicrosoft : OAuthProvider::kGoogle;
}

const OAuthApp& ConnectionAccess::app_of(const CalendarConnectionRecord& connection) const {
  return connection.provider == kMicrosoft ? settings_.microsoft : settings_.google;
}

ProviderResult<std::string> ConnectionAccess::access_token(CalendarConnectionRecord& connection,
                                                           bool force) {
  auto broken = [](std::string detail) {
    return provider_failure(ProviderFailure::Kind::kUnauthorized, std::move(detail));
  };
  if (connection.status == kBroken) return broken("the connection is broken: connect it again");
  std::lock_guard<std::mutex> lock(refreshing_);
  // Another job may have refreshed it meanwhile.
  Status reread = storage_.read([&](ReadView& view) -> Status {
    auto stored = view.calendar_connection(connection.id);
    if (!stored.ok()) return stored.error();
    if (*stored) connection = **stored;
    return Status();
  });
  (void)reread;  // the copy in hand is good enough when the database cannot be read
  auto tokens = open_tokens(server_key_, connection.sealed_tokens);
  if (!tokens) {
    return provider_failure(ProviderFailure::Kind::kRetry,
                            "the stored tokens cannot be opened with this server key");
  }
  const UtcSeconds now = clock_.now();
  const bool fresh = connection.access_expires_at - kRefreshAhead > now;
  if (!force && fresh && !tokens->access_token.empty()) return tokens->access_token;
  if (tokens->refresh_token.empty()) {
    if (connection.access_expires_at > now && !force) return tokens->access_token;
    connection.status = std::string(kBroken);
    connection.last_error = "no refresh token: connect the calendar again";
    store(connection);
    return broken(connection.last_error);
  }
  auto grant = refresh_access(provider_of(connection), app_of(connection), tokens->refresh_token,
                              settings_.timeout);
  if (!grant.ok()) {
    if (grant.error().kind == ProviderFailure::Kind::kUnauthorized) {
      connection.status = std::string(kBroken);
      connection.last_error = "the provider refused the refresh token (" + grant.error().detail +
                              "): connect the calendar again";
      spdlog::warn("calendar connection {} of {} is broken: {}", connection.id,
                   connection.practitioner_id, grant.error().detail);
      store(connection);
    }
    return grant.error();
  }
  tokens->access_token = grant->access_token;
  // Microsoft sends a new refresh token with each refresh; Google keeps the first one.
  if (!grant->refresh_token.empty()) tokens->refresh_token = grant->refresh_token;
  connection.sealed_tokens = seal_tokens(server_key_, *tokens);
  connection.access_expires_at = now + grant->expires_in;
  store(connection);
  return tokens->access_token;
}

void ConnectionAccess::store(const CalendarConnectionRecord& connection) {
  Status stored = storage_.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    auto current = tx.calendar_connection(connection.id);
    if (!current.ok()) return current.error();
    if (!*current) return Status();  // disconnected meanwhile: nothing to keep
    CalendarConnectionRecord row = **current;
    row.sealed_tokens = connection.sealed_tokens;
    row.access_expires_at = connection.access_expires_at;
    row.status = connection.status;
    if (connection.status == kBroken) row.last_error = connection.last_error;
    return tx.put_calendar_connection(row);
  });
  if (!stored.ok()) {
    spdlog::error("storing refreshed tokens of calendar connection {} failed: {}", connection.id,
                  stored.error().message);
  }
}

}  // namespace slotbook::server
