// The one place that turns a --db value into a Storage: a libpq connection URI
// (postgresql://... or postgres://...) opens PostgreSQL, anything else is a SQLite file.
#ifndef SLOTBOOK_SERVER_STORAGE_OPEN_STORAGE_H_
#define SLOTBOOK_SERVER_STORAGE_OPEN_STORAGE_H_

#include <memory>
#include <string>
#include <string_view>

#include "storage/storage.h"

namespace slotbook::server {

bool is_postgres_uri(std::string_view db);

// `db` fit for a log line: a password in a URI is replaced by "***".
std::string redacted_db(std::string_view db);

struct OpenedStorage {
  std::unique_ptr<Storage> storage;
  std::string durability;  // what the database says it runs with, for the start log
};

// Opens and migrates `db`; `connections` is the SQLite reader count or the PostgreSQL
// pool size.
Expected<OpenedStorage> open_storage(const std::string& db, int connections);

// Migrates `db` to the newest schema and returns its version (booking-server migrate).
Expected<int> migrate_storage(const std::string& db);

}  // namespace slotbook::server

#endif  // SLOTBOOK_SERVER_STORAGE_OPEN_STORAGE_H_
