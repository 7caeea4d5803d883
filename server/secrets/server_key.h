// The server key: 32 bytes that seal what the server must be able to read back but
// nobody else (the manage tokens messages link to, webhook secrets, later the calendar
// providers' tokens). One key for every process on a database.
//
// From SLOTBOOK_SECRET_KEY (base64 of 32 bytes) when set: the database alone then reveals
// nothing sealed. Without it, a key made once and kept in the database (server_secrets),
// so a server works out of the box; it says so at start, since whoever reads the
// database can then open what is sealed.
#ifndef SLOTBOOK_SERVER_SECRETS_SERVER_KEY_H_
#define SLOTBOOK_SERVER_SECRETS_SERVER_KEY_H_

#include <string>

#include "common/expected.h"
#include "storage/storage.h"

namespace slotbook::server {

inline constexpr int kServerKeyBytes = 32;

struct ServerKey {
  std::string bytes;
  bool from_environment = false;
};

// `environment_value` is SLOTBOOK_SECRET_KEY's value or null. Fails (invalid) when it is
// set but not base64 of 32 bytes.
Expected<ServerKey> load_server_key(Storage& storage, const char* environment_value);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_SECRETS_SERVER_KEY_H_
