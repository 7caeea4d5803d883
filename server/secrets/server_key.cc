#include "secrets/server_key.h"

#include "tokens/tokens.h"

namespace slotbook::server {
namespace {

constexpr const char* kStoredKeyName = "server_key";

}  // namespace

Expected<ServerKey> load_server_key(Storage& storage, const char* environment_value) {
  if (environment_value && *environment_value) {
    auto bytes = from_base64(environment_value);
    if (!bytes || bytes->size() != kServerKeyBytes) {
      return invalid("invalid_secret_key",
                     "SLOTBOOK_SECRET_KEY must be base64 of 32 random bytes "
                     "(openssl rand -base64 32)");
    }
    return ServerKey{std::move(*bytes), true};
  }
  // Made here, kept unless another process stored one first: every process reads back
  // the one stored.
  const std::string candidate = to_base64(random_bytes(kServerKeyBytes));
  std::string stored;
  Status status = storage.write(WriteScope{}, [&](WriteTransaction& tx) -> Status {
    if (Status put = tx.store_secret_if_absent(kStoredKeyName, candidate); !put.ok()) return put;
    auto value = tx.stored_secret(kStoredKeyName);
    if (!value.ok()) return value.error();
    stored = value->value_or("");
    return Status();
  });
  if (!status.ok()) return status.error();
  auto bytes = from_base64(stored);
  if (!bytes || bytes->size() != kServerKeyBytes) {
    return storage_failure("the server key stored in the database is damaged");
  }
  return ServerKey{std::move(*bytes), false};
}

}  // namespace slotbook::server
